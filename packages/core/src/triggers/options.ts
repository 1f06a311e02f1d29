// Checks of trigger options, shared by the triggers: each failure is an InvalidTriggerError naming the option.
import { DateTime, type IANAZone } from 'luxon';
import { timeOfDate } from '../describe.js';
import { InvalidArgumentError, InvalidTriggerError } from '../errors.js';
import { MAX_TIME, MIN_TIME } from '../validate.js';
import { dateOfEpochDay, epochDay, findZone, instantOfWall, toWall } from './wall-clock.js';

/** The options as a record, or InvalidTriggerError naming the first key the trigger does not take. */
export function checkKeys(options: unknown, allowed: readonly string[], trigger: string): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidTriggerError(trigger, 'options', options, 'must be an object');
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new InvalidTriggerError(trigger, key, record[key], `is not an option of this trigger (it takes ${allowed.join(', ')})`);
  }
  return record;
}

/** Whether an optional option was left out (undefined and null both mean "not given"). */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * The process's local zone: what `Intl` reports, which follows `TZ` (`TZ=America/New_York`), or
 * UTC when the runtime names no zone it knows.
 */
export function localZone(): string {
  const name = new Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  return name !== undefined && findZone(name) !== null ? name : 'UTC';
}

/** The IANA zone named by the option (default: the process's local zone). */
export function checkZone(value: unknown, trigger: string): { name: string; zone: IANAZone } {
  const name = absent(value) ? localZone() : value;
  const zone = typeof name === 'string' ? findZone(name) : null;
  if (zone === null) throw new InvalidTriggerError(trigger, 'timezone', value, 'is not an IANA time zone name (like "Europe/Berlin" or "UTC")');
  return { name: name as string, zone };
}

const RANGE = 'outside 1970-01-01 .. 9999-12-31';
/** `T...` then an offset or Z: only a time of day carries an offset (a date's `-01` is not one). */
const HAS_OFFSET = /T.*(?:Z|[+-]\d\d(?::?\d\d)?)$/i;
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * An instant option: a Date, or an ISO 8601 string. A string with an offset or `Z` is that instant;
 * without one it is a wall time in `zone` (its first occurrence; in a DST gap, moved forward by the
 * gap). Limited to 1970-01-01 .. 9999-12-31, the times a store keeps.
 */
export function checkInstant(value: unknown, zone: IANAZone, trigger: string, field: string): number {
  // timeOfDate, not getTime(): an object made with Object.create(Date.prototype) would throw a TypeError there.
  let instant = timeOfDate(value) ?? Number.NaN;
  if (typeof value === 'string') {
    const text = value.trim().replace(/^(\d{4}-\d\d-\d\d) +(?=\d)/, '$1T');
    if (CANONICAL.test(text)) {
      // What toISOString() writes (every stored trigger): Date.parse reads it exactly, and fast.
      instant = Date.parse(text);
    } else if (HAS_OFFSET.test(text)) {
      instant = DateTime.fromISO(text, { setZone: true }).toMillis();
    } else {
      const local = DateTime.fromISO(text, { zone: 'UTC' });
      if (local.isValid) instant = instantOfWall(local, zone) + local.millisecond;
    }
  }
  if (Number.isNaN(instant)) throw new InvalidTriggerError(trigger, field, value, 'expected a Date or an ISO 8601 date-time string');
  if (instant < MIN_TIME || instant > MAX_TIME) throw new InvalidTriggerError(trigger, field, value, `is ${RANGE}`);
  return instant;
}

/**
 * A calendar-date option: `YYYY-MM-DD`, or a Date (its date in `zone`); as days since 1970-01-01.
 * Either way the date itself must lie in 1970-01-01 .. 9999-12-31, what the JSON form takes back:
 * a Date in range can still fall on 1969-12-31 west of UTC, or on 10000-01-01 east of it.
 */
export function checkCalendarDate(value: unknown, zone: IANAZone, trigger: string, field: string): number {
  if (timeOfDate(value) !== undefined) {
    const { year, month, day } = toWall(checkInstant(value, zone, trigger, field), zone);
    const days = epochDay(year, month, day);
    if (year < 1970 || year > 9999) throw new InvalidTriggerError(trigger, field, value, `falls on ${isoDate(days)} in ${zone.name}, ${RANGE}`);
    return days;
  }
  const match = typeof value === 'string' ? /^(\d{4})-(\d\d)-(\d\d)$/.exec(value.trim()) : null;
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const days = epochDay(year, month, day);
    const back = dateOfEpochDay(days);
    if (back.month === month && back.day === day) {
      if (year < 1970) throw new InvalidTriggerError(trigger, field, value, `is ${RANGE}`);
      return days;
    }
  }
  throw new InvalidTriggerError(trigger, field, value, 'expected a Date or a YYYY-MM-DD date');
}

/**
 * The options a trigger made without a zone keeps, to be made again in another
 * (withDefaultTimezone): a copy, with Dates copied (a caller may change theirs) and `resolved`
 * (defaults that must stay as they were, like a start instant) laid over them.
 */
export function keepOptions<T extends object>(options: T, resolved: Partial<T>): T {
  const copy = { ...options } as Record<string | symbol, unknown>;
  for (const [key, value] of Object.entries(copy)) {
    const ms = timeOfDate(value);
    if (ms !== undefined) copy[key] = new Date(ms);
  }
  return Object.freeze({ ...copy, ...resolved }) as T;
}

/** The optional jitter: a positive number of seconds, or null. */
export function checkJitter(value: unknown, trigger: string): number | null {
  if (absent(value)) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidTriggerError(trigger, 'jitter', value, 'must be a positive number of seconds (or null)');
  return value;
}

/** The fire time moved by a uniform random delay of up to `jitter` seconds (unchanged without jitter). */
export function withJitter(instant: number, jitter: number | null): number {
  return jitter === null ? instant : instant + Math.floor(Math.random() * jitter * 1000);
}

/** The arguments of getNextFireTime as epoch ms; InvalidArgumentError for an invalid Date. */
export function checkTimes(previousFireTime: Date | null, now: Date): { previous: number | null; now: number } {
  const time = (value: unknown, name: string): number => {
    const ms = timeOfDate(value) ?? Number.NaN;
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`getNextFireTime: ${name} must be a valid Date`);
    return ms;
  };
  return { previous: previousFireTime === null ? null : time(previousFireTime, 'previousFireTime'), now: time(now, 'now') };
}

/** endDate must not be before startDate. */
export function checkOrder(start: number | null, end: number | null, trigger: string, endValue: unknown): void {
  if (start !== null && end !== null && end < start) throw new InvalidTriggerError(trigger, 'endDate', endValue, 'is before startDate');
}

/** `YYYY-MM-DD` of days since 1970-01-01 (a 5-digit year past 9999). */
export function isoDate(days: number): string {
  const { year, month, day } = dateOfEpochDay(days);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
