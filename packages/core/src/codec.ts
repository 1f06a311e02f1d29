import { timeOfDate } from './describe.js';
import { SerializationError } from './errors.js';
import type { DataValue, JobData } from './job.js';

/**
 * The job data codec: JSON, with values JSON cannot hold written as tagged objects
 * `{"$t": <tag>, "v": <payload>}`. Decoding only builds plain values from tags it knows; it
 * never evaluates or constructs anything named by the data (APScheduler unpickles).
 *
 * The text is portable to every backend: no NUL character and no lone surrogate appears in it,
 * even escaped, so PostgreSQL JSONB, MySQL JSON, BSON and ZooKeeper all take it as is.
 */

/** Written into every envelope; decoding refuses versions it does not know. */
export const CODEC_VERSION = 1;

/** Deepest nesting of arrays, objects, maps and sets that encodeData accepts. */
export const MAX_DATA_DEPTH = 1000;

const TAG = '$t';

/** Encodes job data to the stored text. SerializationError (naming the path) for what it cannot keep. */
export function encodeData(data: JobData, jobId?: string): string {
  if (!isPlainObject(data)) {
    throw new SerializationError('', `must be a plain object, got ${describe(data)}`, jobId);
  }
  try {
    return JSON.stringify({ v: CODEC_VERSION, d: encodeValue(data, new Set(), 0) });
  } catch (error) {
    if (error instanceof PathError) {
      throw new SerializationError(formatPath(error.segments), error.message, jobId);
    }
    throw error;
  }
}

/** Decodes stored text. Throws SerializationError when the text is not something encodeData wrote. */
export function decodeData(text: string): JobData {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (error) {
    throw new SerializationError('', `stored text is not JSON (${(error as Error).message})`, undefined, 'decode');
  }
  if (!isPlainObject(envelope) || !('d' in envelope)) {
    throw new SerializationError('', 'stored text is not a jobstore data envelope', undefined, 'decode');
  }
  if (envelope['v'] !== CODEC_VERSION) {
    throw new SerializationError('', `unknown codec version ${JSON.stringify(envelope['v'])}`, undefined, 'decode');
  }
  try {
    const data = decodeValue(envelope['d']);
    if (!isPlainObject(data)) throw new PathError('the top level is not an object');
    return data as JobData;
  } catch (error) {
    if (error instanceof PathError) {
      throw new SerializationError(formatPath(error.segments), error.message, undefined, 'decode');
    }
    throw error;
  }
}

type Segment = string | number | { readonly special: string };

/** Carries the path outwards while the recursion unwinds; paths cost nothing unless something fails. */
class PathError extends Error {
  readonly segments: Segment[] = [];
}

function at<T>(segment: Segment, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PathError) error.segments.unshift(segment);
    throw error;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `args[1].callback`, `opts["odd key"]`, `m.get("k")`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'object') out += segment.special;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

// ---- encoding --------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function tagged(tag: string, v?: Json): Json {
  return v === undefined ? { [TAG]: tag } : { [TAG]: tag, v };
}

function encodeValue(value: unknown, ancestors: Set<object>, depth: number): Json {
  switch (typeof value) {
    case 'string':
      return isPortableString(value) ? value : tagged('string', codeUnits(value));
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? tagged('number', '-0') : value;
      return tagged('number', String(value));
    case 'boolean':
      return value;
    case 'undefined':
      return tagged('undefined');
    case 'bigint':
      return tagged('bigint', value.toString());
    case 'function':
      throw new PathError(`functions cannot be stored (${describe(value)}); register a task and store its name`);
    case 'symbol':
      throw new PathError(`symbols cannot be stored (${String(value)})`);
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) throw new PathError('the value contains itself (a cycle)');
  if (depth >= MAX_DATA_DEPTH) throw new PathError(`nesting is deeper than ${MAX_DATA_DEPTH} levels`);

  const proto: unknown = Object.getPrototypeOf(object);
  if (proto === Date.prototype) {
    // Object.create(Date.prototype) has the prototype but no time: getTime would throw a TypeError.
    const time = timeOfDate(object);
    if (time === undefined) throw new PathError('an object with Date.prototype that is not a Date cannot be stored');
    return tagged('date', Number.isNaN(time) ? null : new Date(time).toISOString());
  }
  if (object instanceof Uint8Array && (proto === Uint8Array.prototype || Buffer.isBuffer(object))) {
    return tagged('bytes', Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('base64'));
  }
  const isArray = Array.isArray(object) && proto === Array.prototype;
  if (!isArray && proto !== Object.prototype && proto !== null && proto !== Map.prototype && proto !== Set.prototype) {
    throw new PathError(`instances of ${describe(object)} cannot be stored; use plain objects, arrays, Map, Set, Date or Uint8Array`);
  }

  ancestors.add(object);
  let out: Json;
  if (isArray) {
    const array = object as unknown[];
    const items: Json[] = new Array<Json>(array.length);
    for (let i = 0; i < array.length; i++) items[i] = at(i, () => encodeValue(array[i], ancestors, depth + 1));
    out = items;
  } else if (proto === Map.prototype) {
    const entries: Json[] = [];
    let i = 0;
    for (const [key, item] of object as Map<unknown, unknown>) {
      const k = at({ special: `.keys()[${i}]` }, () => encodeValue(key, ancestors, depth + 1));
      const label = typeof key === 'string' || typeof key === 'number' ? JSON.stringify(key) : `#${i}`;
      const v = at({ special: `.get(${label})` }, () => encodeValue(item, ancestors, depth + 1));
      entries.push([k, v]);
      i++;
    }
    out = tagged('map', entries);
  } else if (proto === Set.prototype) {
    const items: Json[] = [];
    let i = 0;
    for (const item of object as Set<unknown>) {
      const index = i++;
      items.push(at({ special: `.values()[${index}]` }, () => encodeValue(item, ancestors, depth + 1)));
    }
    out = tagged('set', items);
  } else {
    out = encodeObject(object as Record<string, unknown>, ancestors, depth);
  }
  ancestors.delete(object);
  return out;
}

function encodeObject(object: Record<string, unknown>, ancestors: Set<object>, depth: number): Json {
  if (Object.getOwnPropertySymbols(object).some((s) => Object.prototype.propertyIsEnumerable.call(object, s))) {
    throw new PathError('symbol keys cannot be stored');
  }
  const keys = Object.keys(object);
  // A key that would read as a tag, or that a backend cannot hold, moves the object to an entry list.
  if (keys.some((key) => key === TAG || !isPortableString(key))) {
    const entries: Json[] = keys.map((key) => [encodeValue(key, ancestors, depth + 1), at(key, () => encodeValue(object[key], ancestors, depth + 1))]);
    return tagged('object', entries);
  }
  const out: { [key: string]: Json } = {};
  for (const key of keys)
    setOwn(
      out,
      key,
      at(key, () => encodeValue(object[key], ancestors, depth + 1)),
    );
  return out;
}

// ---- decoding --------------------------------------------------------------------------------

function decodeValue(value: unknown): DataValue {
  if (value === null || typeof value !== 'object') return value as DataValue;
  if (Array.isArray(value)) return value.map((item, i) => at(i, () => decodeValue(item)));
  const object = value as Record<string, unknown>;
  if (!(TAG in object)) {
    const out: Record<string, DataValue> = {};
    for (const key of Object.keys(object))
      setOwn(
        out,
        key,
        at(key, () => decodeValue(object[key])),
      );
    return out;
  }
  return decodeTagged(object);
}

function decodeTagged(object: Record<string, unknown>): DataValue {
  const tag = object[TAG];
  const keys = Object.keys(object);
  const v = object['v'];
  if (tag === 'undefined' && keys.length === 1) return undefined;
  if (keys.length !== 2 || !('v' in object)) throw new PathError(`malformed tagged value ${JSON.stringify(object).slice(0, 80)}`);
  switch (tag) {
    case 'date': {
      if (v === null) return new Date(Number.NaN);
      const date = typeof v === 'string' ? new Date(v) : null;
      if (date === null || Number.isNaN(date.getTime()) || date.toISOString() !== v) throw new PathError(`bad date ${JSON.stringify(v)}`);
      return date;
    }
    case 'bigint':
      if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new PathError(`bad bigint ${JSON.stringify(v)}`);
      return BigInt(v);
    case 'number':
      if (v === 'NaN') return Number.NaN;
      if (v === 'Infinity') return Number.POSITIVE_INFINITY;
      if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
      if (v === '-0') return -0;
      throw new PathError(`bad number ${JSON.stringify(v)}`);
    case 'bytes':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw new PathError('bad base64 bytes');
      return new Uint8Array(Buffer.from(v, 'base64'));
    case 'string':
      return fromCodeUnits(v);
    case 'map':
      return new Map(pairs(v).map(([k, item], i) => [at({ special: `.keys()[${i}]` }, () => decodeValue(k)), at({ special: `.values()[${i}]` }, () => decodeValue(item))]));
    case 'set':
      if (!Array.isArray(v)) throw new PathError('a set payload must be an array');
      return new Set(v.map((item, i) => at({ special: `.values()[${i}]` }, () => decodeValue(item))));
    case 'object': {
      const out: Record<string, DataValue> = {};
      for (const [k, item] of pairs(v)) {
        const key = decodeValue(k);
        if (typeof key !== 'string') throw new PathError('an object key must be a string');
        setOwn(
          out,
          key,
          at(key, () => decodeValue(item)),
        );
      }
      return out;
    }
    default:
      throw new PathError(`unknown tag ${JSON.stringify(tag)}`);
  }
}

function pairs(v: unknown): [unknown, unknown][] {
  if (!Array.isArray(v) || !v.every((entry) => Array.isArray(entry) && entry.length === 2)) {
    throw new PathError('an entry list must be an array of [key, value] pairs');
  }
  return v as [unknown, unknown][];
}

// ---- helpers ---------------------------------------------------------------------------------

/** Plain assignment would call the `__proto__` setter instead of creating the key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters looked for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No NUL and no lone surrogate: what PostgreSQL JSONB, and some drivers, refuse or replace. */
export function isPortableString(value: string): boolean {
  return !SUSPECT.test(value) || (!value.includes('\u0000') && !LONE_SURROGATE.test(value));
}

function codeUnits(value: string): number[] {
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i);
  return out;
}

function fromCodeUnits(v: unknown): string {
  if (!Array.isArray(v) || !v.every((unit) => Number.isInteger(unit) && unit >= 0 && unit <= 0xffff)) {
    throw new PathError('a string payload must be an array of UTF-16 code units');
  }
  let out = '';
  for (let i = 0; i < v.length; i += 4096) out += String.fromCharCode(...(v.slice(i, i + 4096) as number[]));
  return out;
}

/** What kind of value it is, for a message; never throws (a getter or a Proxy trap may). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  try {
    if (typeof value === 'function') return typeof value.name === 'string' && value.name !== '' ? `function ${value.name}` : 'an anonymous function';
    if (typeof value !== 'object') return typeof value;
    if (Array.isArray(value)) return 'an array';
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'an object with a custom prototype';
  } catch {
    return 'an object that cannot be inspected';
  }
}
