import type { IANAZone } from 'luxon';
import { InvalidTriggerError } from '../../errors.js';
import type { CronTriggerJSON, Trigger } from '../trigger.js';
import { checkJitter, checkKeys, daysInMonth, instantsOf, parseInstant, toWall, wallFromMillis, wallMillis, withJitter, zoneOf, type Wall } from '../wall-clock.js';
import { parseField, type DayContext, type Matcher } from './expressions.js';
import { DEFAULTS, FIELDS, RANGES, WEEKDAYS, type FieldName } from './fields.js';

/** Options of {@link CronTrigger}: each field an expression (string or number). */
export interface CronTriggerOptions {
  readonly year?: string | number;
  readonly month?: string | number;
  readonly day?: string | number;
  /** ISO week number, 1-53. */
  readonly week?: string | number;
  /** 0 = Monday .. 6 = Sunday, or mon..sun (APScheduler's numbering, not crontab's). */
  readonly dayOfWeek?: string | number;
  readonly hour?: string | number;
  readonly minute?: string | number;
  readonly second?: string | number;
  /** No fire time before this. */
  readonly startDate?: Date | string;
  /** No fire time after this. */
  readonly endDate?: Date | string;
  /** IANA zone the fields are read in. Default `UTC`. */
  readonly timezone?: string;
  /** Up to this many seconds of random delay on each fire time. */
  readonly jitter?: number;
}

type Fields = Readonly<Record<FieldName, string>>;

/**
 * Fires when every field matches the wall clock in `timezone` (APScheduler's CronTrigger). Fields
 * smaller than the least significant one given default to their minimum, larger ones (and week,
 * dayOfWeek) to `*`; with no field at all it fires every second.
 *
 * DST: a wall time that does not exist is skipped; one that occurs twice fires once, at its first
 * occurrence.
 */
export class CronTrigger implements Trigger {
  readonly fields: Fields;
  /** Made by fromCrontab: day and dayOfWeek, when both are restricted, match if either does. */
  readonly crontab: boolean;
  readonly startDate: Date | null;
  readonly endDate: Date | null;
  readonly timezone: string;
  readonly jitter: number | null;
  /** @internal for tests: the source of randomness for jitter. */
  random: () => number = Math.random;
  readonly #zone: IANAZone;
  readonly #matchers: Readonly<Record<FieldName, Matcher[]>>;
  readonly #dayOrWeekday: boolean;

  constructor(options: CronTriggerOptions = {}, crontab = false) {
    const o = checkKeys(options, [...FIELDS, 'startDate', 'endDate', 'timezone', 'jitter'], 'cron');
    this.fields = resolveFields(o);
    this.crontab = crontab;
    this.timezone = (o['timezone'] as string | undefined) ?? 'UTC';
    this.#zone = zoneOf(this.timezone, 'cron');
    this.startDate = o['startDate'] === undefined || o['startDate'] === null ? null : new Date(parseInstant(o['startDate'], this.#zone, 'cron', 'startDate'));
    this.endDate = o['endDate'] === undefined || o['endDate'] === null ? null : new Date(parseInstant(o['endDate'], this.#zone, 'cron', 'endDate'));
    if (this.startDate !== null && this.endDate !== null && this.endDate < this.startDate) throw new InvalidTriggerError('cron', 'endDate', this.endDate, 'is before startDate');
    this.jitter = checkJitter(o['jitter'], 'cron');
    const matchers = {} as Record<FieldName, Matcher[]>;
    for (const field of FIELDS) matchers[field] = parseField(field, this.fields[field]);
    this.#matchers = matchers;
    this.#dayOrWeekday = crontab && this.fields.day !== '*' && this.fields.dayOfWeek !== '*';
  }

  /**
   * A trigger from a standard 5-field crontab line (`minute hour day month weekday`, or a macro
   * such as `@daily`), with crontab's meaning: weekday 0 and 7 are Sunday, and when both day and
   * weekday are restricted a day matches if either does. APScheduler 3's `from_crontab` reads
   * weekday numbers as its own (0 = Monday) and requires both fields to match; this does not.
   */
  static fromCrontab(expression: string, options: { timezone?: string } = {}): CronTrigger {
    if (typeof expression !== 'string') throw new InvalidTriggerError('cron', 'crontab', expression, 'must be a string');
    const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
    const parts = text.split(/\s+/);
    if (parts.length !== 5) throw new InvalidTriggerError('cron', 'crontab', expression, 'needs 5 fields: minute hour day month weekday');
    const [minute, hour, day, month, weekday] = parts as [string, string, string, string, string];
    return new CronTrigger({ second: 0, minute, hour, day, month, dayOfWeek: crontabWeekdays(weekday), ...(options.timezone === undefined ? {} : { timezone: options.timezone }) }, true);
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    let from = previousFireTime === null ? now.getTime() : previousFireTime.getTime() + 1;
    if (this.startDate !== null) from = Math.max(from, this.startDate.getTime());
    from = Math.ceil(from / 1000) * 1000;
    const end = this.endDate?.getTime() ?? Number.POSITIVE_INFINITY;
    let wall: Wall | null = toWall(from, this.#zone);
    // Each pass moves the wall clock forward; a DST gap or an overlap's second pass costs one more.
    for (let guard = 0; guard < 100_000 && wall !== null; guard++) {
      const candidate = this.#nextWall(wall);
      if (candidate === null) return null;
      const [first] = instantsOf(candidate, this.#zone);
      if (first !== undefined && first >= from) {
        return first > end ? null : new Date(withJitter(first, this.jitter, this.random));
      }
      // Not there (a gap), or its first occurrence is already past (an overlap): fire once, go on.
      wall = wallFromMillis(wallMillis(candidate) + 1000);
      if (wallMillis(candidate) > end + 86_400_000 * 2) return null;
    }
    return null;
  }

  toJSON(): CronTriggerJSON {
    return {
      type: 'cron',
      fields: { ...this.fields },
      crontab: this.crontab,
      startDate: this.startDate?.toISOString() ?? null,
      endDate: this.endDate?.toISOString() ?? null,
      timezone: this.timezone,
      jitter: this.jitter,
    };
  }

  toString(): string {
    const given = FIELDS.filter((field) => this.fields[field] !== '*').map((field) => `${field}='${this.fields[field]}'`);
    return `cron[${given.join(', ')}]`;
  }

  /** The first wall time at or after `from` that every field matches, or null before year 9999 ends. */
  #nextWall(from: Wall): Wall | null {
    let { year, month, day, hour, minute, second } = from;
    const next = (field: FieldName, value: number, context?: DayContext): number | null => {
      const [, max] = RANGES[field];
      for (let v = value; v <= max; v++) if (this.#matches(field, v, context)) return v;
      return null;
    };
    for (let guard = 0; guard < 200_000; guard++) {
      if (year > 9999) return null;
      const y = next('year', year);
      if (y === null) return null;
      if (y > year) [year, month, day, hour, minute, second] = [y, 1, 1, 0, 0, 0];
      const m = next('month', month);
      if (m === null) {
        [year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0];
        continue;
      }
      if (m > month) [month, day, hour, minute, second] = [m, 1, 0, 0, 0];
      const d = this.#nextDay(year, month, day);
      if (d === null) {
        [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
        [day, hour, minute, second] = [1, 0, 0, 0];
        continue;
      }
      if (d > day) [day, hour, minute, second] = [d, 0, 0, 0];
      const h = next('hour', hour);
      if (h === null) {
        ({ year, month, day } = wallFromMillis(wallMillis({ year, month, day, hour: 0, minute: 0, second: 0 }) + 86_400_000));
        [hour, minute, second] = [0, 0, 0];
        continue;
      }
      if (h > hour) [hour, minute, second] = [h, 0, 0];
      const mi = next('minute', minute);
      if (mi === null) {
        ({ year, month, day, hour } = wallFromMillis(wallMillis({ year, month, day, hour, minute: 0, second: 0 }) + 3_600_000));
        [minute, second] = [0, 0];
        continue;
      }
      if (mi > minute) [minute, second] = [mi, 0];
      const s = next('second', second);
      if (s === null) {
        ({ year, month, day, hour, minute } = wallFromMillis(wallMillis({ year, month, day, hour, minute, second: 0 }) + 60_000));
        second = 0;
        continue;
      }
      return { year, month, day, hour, minute, second: s };
    }
    return null;
  }

  #nextDay(year: number, month: number, from: number): number | null {
    const context = { year, month, lastDay: daysInMonth(year, month) };
    for (let day = from; day <= context.lastDay; day++) {
      const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
      const byDay = this.#matches('day', day, context);
      const byWeekday = this.#matches('dayOfWeek', weekday);
      const dayOk = this.#dayOrWeekday ? byDay || byWeekday : byDay && byWeekday;
      if (dayOk && this.#matches('week', isoWeek(year, month, day))) return day;
    }
    return null;
  }

  #matches(field: FieldName, value: number, context: DayContext = { year: 0, month: 0, lastDay: 31 }): boolean {
    return this.#matchers[field].some((matcher) => matcher(value, context));
  }
}

/** APScheduler's defaults: `*` above the least significant field given, minimums below it. */
function resolveFields(options: Record<string, unknown>): Fields {
  const given = FIELDS.filter((field) => options[field] !== undefined && options[field] !== null);
  const last = given.length === 0 ? -1 : FIELDS.indexOf(given[given.length - 1] as FieldName);
  const fields = {} as Record<FieldName, string>;
  FIELDS.forEach((field, i) => {
    const value = options[field];
    if (value !== undefined && value !== null) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidTriggerError('cron', field, value, 'must be a string or a number');
      fields[field] = String(value).trim();
    } else {
      fields[field] = last >= 0 && i > last ? DEFAULTS[field] : '*';
    }
  });
  return fields;
}

function isoWeek(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(year, month - 1, day));
  // The Thursday of a date's ISO week decides the week's year; week 1 holds the year's first Thursday.
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) + 3);
  const thursday = date.getTime();
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday - yearStart) / 604_800_000);
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const CRONTAB_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Crontab weekdays (0 and 7 = Sunday, 1 = Monday) as APScheduler's (0 = Monday), as a list of names. */
function crontabWeekdays(field: string): string {
  if (field === '*') return '*';
  const days = new Set<number>();
  for (const part of field.toLowerCase().split(',')) {
    const match = /^(\*|[a-z]+|\d+)(?:-([a-z]+|\d+))?(?:\/(\d+))?$/.exec(part.trim());
    if (match === null) throw new InvalidTriggerError('cron', 'dayOfWeek', field, `"${part}" is not a crontab weekday expression`);
    const toNumber = (text: string): number => {
      const n = /^\d+$/.test(text) ? Number(text) : CRONTAB_WEEKDAYS.indexOf(text);
      if (n < 0 || n > 7) throw new InvalidTriggerError('cron', 'dayOfWeek', field, `"${text}" is not a weekday (0-7 or sun-sat)`);
      return n;
    };
    const first = match[1] === '*' ? 0 : toNumber(match[1] as string);
    const last = match[1] === '*' ? 7 : match[2] !== undefined ? toNumber(match[2]) : match[3] !== undefined ? 7 : first;
    const step = match[3] === undefined ? 1 : Number(match[3]);
    if (step < 1) throw new InvalidTriggerError('cron', 'dayOfWeek', field, 'a step must be at least 1');
    if (first > last) throw new InvalidTriggerError('cron', 'dayOfWeek', field, `the range ${match[1]}-${match[2]} runs backwards`);
    for (let n = first; n <= last; n += step) days.add((n + 6) % 7);
  }
  return [...days].sort((a, b) => a - b).map((d) => WEEKDAYS[d]).join(',');
}

