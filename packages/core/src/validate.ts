import { quoteShort, timeOfDate } from './describe.js';
import { InvalidArgumentError } from './errors.js';
import { portabilityProblem } from './ids.js';

/** Earliest and latest times a store keeps: 1970-01-01 .. 9999-12-31, which every backend's types hold. */
export const MIN_TIME = 0;
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Longest lease a store accepts, in ms (about 24.8 days: setTimeout's limit). */
export const MAX_LEASE_MS = 2 ** 31 - 1;
/** Most jobs one acquireDueJobs or listJobs call handles. */
export const MAX_BATCH = 10_000;

/** Epoch ms of a valid Date in range, or InvalidArgumentError naming the argument. */
export function toTime(value: unknown, what: string, operation: string): number {
  // Not value.getTime(): an object made with Object.create(Date.prototype) passes instanceof and throws there.
  const time = timeOfDate(value);
  if (time === undefined) throw new InvalidArgumentError(`${operation}: ${what} must be a Date, got ${kind(value)}`);
  if (Number.isNaN(time)) throw new InvalidArgumentError(`${operation}: ${what} is an invalid Date`);
  if (time < MIN_TIME || time > MAX_TIME) {
    throw new InvalidArgumentError(`${operation}: ${what} ${new Date(time).toISOString()} is outside 1970-01-01 .. 9999-12-31`);
  }
  return time;
}

/** Like toTime, but null stays null (a paused job). */
export function toTimeOrNull(value: unknown, what: string, operation: string): number | null {
  return value === null ? null : toTime(value, what, operation);
}

export function assertInteger(value: unknown, what: string, operation: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${operation}: ${what} must be an integer from ${min} to ${max}, got ${kind(value)}`);
  }
}

/**
 * Longest lease owner, in UTF-16 code units (`owner.length`): at most 255 code points too, so it
 * fits every backend's column (MySQL's `varchar(255)` counts code points). Ids count code points
 * instead (see MAX_ID_LENGTH); owners keep the simpler count, which was the rule from the start.
 */
export const MAX_OWNER_LENGTH = 255;

/**
 * A lease owner: a non-empty string of at most {@link MAX_OWNER_LENGTH} UTF-16 code units, with
 * no NUL character and no lone surrogate (the rule ids follow), so that every backend stores it
 * exactly and its owner finds its own lease again.
 */
export function assertOwner(value: unknown, operation: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_OWNER_LENGTH) {
    throw new InvalidArgumentError(`${operation}: owner must be a non-empty string of at most ${MAX_OWNER_LENGTH} UTF-16 code units, got ${kind(value)}`);
  }
  const problem = portabilityProblem(value);
  if (problem !== null) throw new InvalidArgumentError(`${operation}: owner ${problem}`);
}

/**
 * The namespace rule every backend accepts as a table name, key prefix, collection or znode:
 * a letter, then up to 47 letters, digits or underscores. Checked before it reaches any query.
 */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

/**
 * The namespace check every backend must make before a namespace reaches a table name, key,
 * collection or path: call it in the store's constructor or `createStore`, so that a bad
 * namespace is refused at construction (the conformance suite requires the refusal at
 * construction or at `open()`).
 *
 * @param value - the namespace as the user gave it.
 * @param backend - who checks, for the message: `"MyJobStore"` or `"MyJobStore (collection)"`.
 * @throws InvalidArgumentError unless `value` matches {@link NAMESPACE_PATTERN}, with a message
 *   naming the value and the rule.
 */
export function assertNamespace(value: unknown, backend: string): asserts value is string {
  if (typeof value !== 'string' || !NAMESPACE_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${backend}: namespace ${kind(value)} is not valid: use a letter followed by up to 47 letters, digits or underscores`);
  }
}

/** A short description of a bad value for a message (never throws, whatever the value). */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  const time = timeOfDate(value);
  if (time !== undefined) return Number.isNaN(time) ? 'an invalid Date' : new Date(time).toISOString();
  if (typeof value === 'string') return quoteShort(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}
