/**
 * JSON values as the API takes them in `args` and `kwargs`: checked without recursion (zod's own
 * checks recurse and overflowed the stack on `args` 3,000 levels deep) and without copying
 * (rebuilding an object drops an own `__proto__` key, which the codec stores like any other).
 */

/**
 * Deepest nesting of arrays and objects in one field's value (`[[1]]` is 2): far below what the
 * codec stores (core's MAX_DATA_DEPTH, 1,000 levels for the whole job), so whatever the API takes
 * can be stored.
 */
export const MAX_JSON_DEPTH = 64;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where in a value, as keys and indexes from the value itself. */
export type JsonPath = (string | number)[];

/** What is wrong with a value, and where: `deep` when it nests too deep, else it is not JSON. */
export interface JsonProblem {
  readonly path: JsonPath;
  readonly reason: string;
  readonly deep: boolean;
}

const TOO_DEEP = `nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;

interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number | null;
  readonly parent: Pending | null;
}

function pathOf(entry: Pending): JsonPath {
  const path: JsonPath = [];
  for (let at: Pending | null = entry; at !== null && at.key !== null; at = at.parent) path.unshift(at.key);
  return path;
}

function kindOf(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a custom prototype';
}

/**
 * The first problem of `value` as JSON job data, or null: only null, booleans, finite numbers,
 * strings, arrays and plain objects, nested at most MAX_JSON_DEPTH levels. Iterative, and it
 * stops at the first level too deep, so a body 500,000 levels deep costs no stack.
 */
export function jsonProblem(value: unknown): JsonProblem | null {
  const stack: Pending[] = [{ value, depth: 0, key: null, parent: null }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const item = entry.value;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (Number.isFinite(item)) continue;
      return { path: pathOf(entry), reason: `${kindOf(item)} is not JSON`, deep: false };
    }
    const proto: unknown = typeof item === 'object' ? Object.getPrototypeOf(item) : undefined;
    const isArray = Array.isArray(item) && proto === Array.prototype;
    if (!isArray && proto !== Object.prototype && proto !== null) return { path: pathOf(entry), reason: `${kindOf(item)} is not JSON`, deep: false };
    const depth = entry.depth + 1;
    if (depth > MAX_JSON_DEPTH) return { path: pathOf(entry), reason: TOO_DEEP, deep: true };
    if (isArray) {
      const array = item as unknown[];
      for (let i = array.length - 1; i >= 0; i--) stack.push({ value: array[i], depth, key: i, parent: entry });
    } else {
      const keys = Object.keys(item as object);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        stack.push({ value: (item as Record<string, unknown>)[key], depth, key, parent: entry });
      }
    }
  }
  return null;
}

/**
 * The body field a problem is reported under: the top-level field, and for `kwargs` the keyword
 * argument too (`kwargs.x`). Not the whole path: 100,000 levels of `[0]` would be the message.
 */
export function fieldOf(path: JsonPath): string | null {
  const [field, key] = path;
  if (field === undefined) return null;
  return field === 'kwargs' && key !== undefined ? `kwargs.${key}` : String(field);
}

/**
 * Why a parsed request body nests too deep, with the field, or null: each field's value is held to
 * MAX_JSON_DEPTH (a body that is no object, as a whole). Checked before any schema sees the body.
 */
export function bodyTooDeep(body: unknown): { field: string | null; reason: string } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const problem = jsonProblem(body);
    return problem?.deep === true ? { field: null, reason: TOO_DEEP } : null;
  }
  for (const key of Object.keys(body)) {
    const problem = jsonProblem((body as Record<string, unknown>)[key]);
    if (problem?.deep === true) return { field: fieldOf([key, ...problem.path]), reason: TOO_DEEP };
  }
  return null;
}

/** The body field of a codec path (SerializationError's `args[1].x`, `kwargs["a b"].c`): `args`, `kwargs.a b`. */
export function fieldOfDataPath(path: string): string | null {
  const match = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*)|\[("(?:[^"\\]|\\.)*")\])?/.exec(path);
  if (match === null) return null;
  const [, field = '', name, quoted] = match;
  return fieldOf(name !== undefined ? [field, name] : quoted !== undefined ? [field, JSON.parse(quoted) as string] : [field]);
}
