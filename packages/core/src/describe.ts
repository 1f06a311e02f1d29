/**
 * Describing arbitrary values for error messages. Whatever a caller passes (a null-prototype
 * object, an object whose `Symbol.toPrimitive` or `toString` throws, a revoked Proxy, a cycle, a
 * BigInt, an object that only pretends to be a Date), these never throw: building the message of
 * a refusal must not become a crash of its own. Nothing here calls `String(value)` on an object.
 */

/** Longest description of a string, in UTF-16 units, before it is cut with `…`. */
export const MAX_DESCRIBED_STRING = 60;
/** Longest description of any value, in UTF-16 units. */
export const MAX_DESCRIPTION = 200;
const MAX_ITEMS = 5;
const MAX_DEPTH = 2;

/**
 * The epoch ms of a real Date (NaN for an invalid one), or undefined for anything else,
 * including an object made with `Object.create(Date.prototype)`, on which `getTime` throws, and
 * a revoked Proxy, on which `instanceof` throws.
 */
export function timeOfDate(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    // instanceof first, so a fake is not asked for its time; it throws itself on a revoked Proxy.
    return value instanceof Date ? Date.prototype.getTime.call(value) : undefined;
  } catch {
    return undefined;
  }
}

/** A string, JSON-quoted (so `"a b"` and `"\n"` stay readable) and cut at `max` units. */
export function quoteShort(text: string, max = MAX_DESCRIBED_STRING): string {
  if (text.length <= max) return JSON.stringify(text);
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${JSON.stringify(text.slice(0, end))}…`;
}

/**
 * A short, readable description of any value: strings quoted, Dates as ISO 8601, BigInts with
 * `n`, small arrays and plain objects written out (`[1, "a"]`, `{ a: 1 }`), other objects by
 * their class (`[object Map]`, `[object Foo]`). Cut at {@link MAX_DESCRIPTION} units; never throws.
 */
export function describeValue(value: unknown): string {
  const text = describe(value, 0);
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function describe(value: unknown, depth: number): string {
  try {
    switch (typeof value) {
      case 'string':
        return quoteShort(value);
      case 'bigint':
        return `${value}n`;
      case 'number':
        return Object.is(value, -0) ? '-0' : String(value);
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'symbol':
        return Symbol.prototype.toString.call(value);
      case 'function':
        return typeof value.name === 'string' && value.name !== '' ? `[function ${value.name}]` : '[function]';
    }
    if (value === null) return 'null';
    const time = timeOfDate(value);
    if (time !== undefined) return Number.isNaN(time) ? 'Invalid Date' : new Date(time).toISOString();
    if (Array.isArray(value)) {
      if (depth >= MAX_DEPTH) return value.length === 0 ? '[]' : '[…]';
      const items = value.slice(0, MAX_ITEMS).map((item: unknown) => describe(item, depth + 1));
      if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
      return `[${items.join(', ')}]`;
    }
    const object = value as object;
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto === Object.prototype || proto === null) {
      const keys = Object.keys(object);
      if (keys.length === 0) return proto === null ? '[object: null prototype] {}' : '{}';
      if (depth >= MAX_DEPTH) return '{…}';
      const record = object as Record<string, unknown>;
      const entries = keys.slice(0, MAX_ITEMS).map((key) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteShort(key)}: ${describe(record[key], depth + 1)}`);
      if (keys.length > MAX_ITEMS) entries.push(`… ${keys.length - MAX_ITEMS} more`);
      return `{ ${entries.join(', ')} }`;
    }
    // `[object Map]`; for instances of a class, its name (`[object Foo]`).
    const tag = Object.prototype.toString.call(object);
    const ctor = (proto as { constructor?: unknown } | null)?.constructor;
    return tag === '[object Object]' && typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? `[object ${ctor.name}]` : tag;
  } catch {
    // A getter, a Proxy trap or a toStringTag that throws: say no more than what it is.
    return '[object]';
  }
}
