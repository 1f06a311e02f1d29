import { InvalidArgumentError, quoteId } from './errors.js';

/** Earliest and latest times a store keeps: 1970-01-01 .. 9999-12-31, which every backend's types hold. */
export const MIN_TIME = 0;
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Longest lease a store accepts, in ms (about 24.8 days: setTimeout's limit). */
export const MAX_LEASE_MS = 2 ** 31 - 1;
/** Most jobs one acquireDueJobs or listJobs call handles. */
export const MAX_BATCH = 10_000;

/** Epoch ms of a valid Date in range, or InvalidArgumentError naming the argument. */
export function toTime(value: unknown, what: string, operation: string): number {
  if (!(value instanceof Date)) throw new InvalidArgumentError(`${operation}: ${what} must be a Date, got ${kind(value)}`);
  const time = value.getTime();
  if (Number.isNaN(time)) throw new InvalidArgumentError(`${operation}: ${what} is an invalid Date`);
  if (time < MIN_TIME || time > MAX_TIME) {
    throw new InvalidArgumentError(`${operation}: ${what} ${value.toISOString()} is outside 1970-01-01 .. 9999-12-31`);
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

/** A lease owner: a non-empty string of at most 255 characters. */
export function assertOwner(value: unknown, operation: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw new InvalidArgumentError(`${operation}: owner must be a non-empty string of at most 255 characters, got ${kind(value)}`);
  }
}

/**
 * The namespace rule every backend accepts as a table name, key prefix, collection or znode:
 * a letter, then up to 47 letters, digits or underscores. Checked before it reaches any query.
 */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

export function assertNamespace(value: unknown, backend: string): asserts value is string {
  if (typeof value !== 'string' || !NAMESPACE_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      `${backend}: namespace ${typeof value === 'string' ? quoteId(value) : kind(value)} is not valid: ` +
        'use a letter followed by up to 47 letters, digits or underscores',
    );
  }
}

/** A short description of a bad value for a message. */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : value.toISOString();
  if (typeof value === 'string') return quoteId(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}
