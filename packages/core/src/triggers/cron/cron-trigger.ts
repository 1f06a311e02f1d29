import type { IANAZone } from 'luxon';
import { InvalidTriggerError } from '../../errors.js';
import { MAX_TIME } from '../../validate.js';
import { absent, checkInstant, checkJitter, checkKeys, checkOrder, checkTimes, checkZone, withJitter } from '../options.js';
import type { CronTriggerJSON, Trigger } from '../trigger.js';
import { DAY_MS, dateOfEpochDay, daysInMonth, epochDay, firstInstant, gapEnd, isoWeekOf, searchStart, wallMillis, wallOfMillis, weekdayOf, type Wall } from '../wall-clock.js';
import { compileCrontabWeekdays, matchesEitherDay, splitCrontab } from './crontab.js';
import { compileField, positionDay, type CompiledField } from './expressions.js';
import { DEFAULTS, FIELDS, SPECS, type FieldName } from './fields.js';

/** Options of {@link CronTrigger}: each field an expression (a string, or a number for one value). */
export interface CronTriggerOptions {
  /** 4-digit year, 1970-9999. */
  readonly year?: string | number;
  /** 1-12, or jan..dec. */
  readonly month?: string | number;
  /** 1-31; also `last` (the month's last day) and `xth weekday` (`2nd fri`, `last sun`). */
  readonly day?: string | number;
  /** ISO week number, 1-53. */
  readonly week?: string | number;
  /** 0 = Monday .. 6 = Sunday, or mon..sun (APScheduler's numbering, not crontab's). */
  readonly dayOfWeek?: string | number;
  readonly hour?: string | number;
  readonly minute?: string | number;
  readonly second?: string | number;
  /** No fire time before this (inclusive). A string without an offset is a wall time in `timezone`. */
  readonly startDate?: Date | string;
  /** No fire time after this (inclusive). */
  readonly endDate?: Date | string;
  /** IANA zone whose wall clock the fields are matched against. Default `UTC`. */
  readonly timezone?: string;
  /**
   * Up to this many seconds of random delay added to each fire time. A delayed time past endDate
   * fires at endDate instead, as APScheduler 3.11's CronTrigger does (an interval trigger instead
   * ends there); nothing fires after 9999-12-31.
   */
  readonly jitter?: number | null;
}

/** Options of {@link CronTrigger.fromCrontab}: everything but the fields. */
export type CrontabOptions = Pick<CronTriggerOptions, 'startDate' | 'endDate' | 'timezone' | 'jitter'>;

/** Two days before 1970: any fire time (its wall year 1970 or later) is after this. */
const EARLIEST = -2 * DAY_MS;

/** Marks the options fromCrontab builds; a symbol, so no caller can pass it by accident. */
const CRONTAB = Symbol('crontab');

type Compiled = Readonly<Record<FieldName, CompiledField>>;
type Scanned = 'year' | 'month' | 'hour' | 'minute' | 'second';

/**
 * Fires when the wall clock in `timezone` matches every field (APScheduler 3's CronTrigger).
 * Fields smaller than the least significant field given default to their minimum, larger ones
 * (and week and dayOfWeek) to `*`: `new CronTrigger({ hour: 3 })` fires at 03:00:00 every day,
 * and `new CronTrigger()` every second.
 *
 * DST: a wall time that does not exist (spring forward) is skipped; one that occurs twice (fall
 * back) fires once, at its first occurrence. The search is bounded: an expression that can never
 * match again (`{ month: 'feb', day: 31 }`) gives null.
 */
export class CronTrigger implements Trigger {
  /** Every field's expression as given, with the defaults omitted fields took. */
  readonly fields: Readonly<Record<FieldName, string>>;
  /** Made by fromCrontab: the fields have crontab's meaning. */
  readonly crontab: boolean;
  readonly startDate: Date | null;
  readonly endDate: Date | null;
  readonly timezone: string;
  readonly jitter: number | null;
  readonly #zone: IANAZone;
  readonly #compiled: Compiled;
  /** For each scanned field, the first allowed value at or after each value (-1: none). */
  readonly #after: Readonly<Record<Scanned, Int16Array>>;
  readonly #eitherDay: boolean;
  readonly #anyWeek: boolean;

  constructor(options: CronTriggerOptions = {}) {
    const o = checkKeys(options, [...FIELDS, 'startDate', 'endDate', 'timezone', 'jitter'], 'cron');
    this.crontab = (options as { [CRONTAB]?: boolean })[CRONTAB] === true;
    this.fields = Object.freeze(resolveFields(o));
    const { name, zone } = checkZone(o['timezone'], 'cron');
    this.timezone = name;
    this.#zone = zone;
    const start = absent(o['startDate']) ? null : checkInstant(o['startDate'], zone, 'cron', 'startDate');
    const end = absent(o['endDate']) ? null : checkInstant(o['endDate'], zone, 'cron', 'endDate');
    checkOrder(start, end, 'cron', o['endDate']);
    this.startDate = start === null ? null : new Date(start);
    this.endDate = end === null ? null : new Date(end);
    this.jitter = checkJitter(o['jitter'], 'cron');

    const compiled = {} as Record<FieldName, CompiledField>;
    for (const field of FIELDS) {
      compiled[field] = this.crontab && field === 'dayOfWeek' ? compileCrontabWeekdays(this.fields[field]) : compileField(SPECS[field], this.fields[field]);
    }
    this.#compiled = compiled;
    this.#after = {
      year: afterTable(compiled.year.allowed),
      month: afterTable(compiled.month.allowed),
      hour: afterTable(compiled.hour.allowed),
      minute: afterTable(compiled.minute.allowed),
      second: afterTable(compiled.second.allowed),
    };
    this.#eitherDay = this.crontab && matchesEitherDay(this.fields.day, this.fields.dayOfWeek);
    this.#anyWeek = compiled.week.allowed.indexOf(0, SPECS.week.min) < 0;
  }

  /**
   * A trigger from a standard 5-field crontab line, `minute hour day month weekday`, or a macro
   * (`@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`), read with crontab's meaning, at second 0:
   *
   * - weekday 0 and 7 are Sunday, 1 is Monday (names sun..sat work too);
   * - when day and weekday are both restricted (neither starts with `*`), a day matches if
   *   EITHER does: `0 9 13 * fri` fires on the 13th and on every Friday (Vixie cron's rule).
   *
   * APScheduler 3's `from_crontab` gets both wrong: it reads weekday numbers as its own (0 = Monday,
   * so `* * * * 1-5` means Tuesday to Saturday there) and requires both day fields to match.
   * The other fields take APScheduler's expression language, checked the same way.
   */
  static fromCrontab(expression: string, options: CrontabOptions = {}): CronTrigger {
    const fields = splitCrontab(expression);
    const rest = checkKeys(options, ['startDate', 'endDate', 'timezone', 'jitter'], 'cron');
    return new CronTrigger({ ...rest, ...fields, second: '0', [CRONTAB]: true } as CronTriggerOptions);
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = checkTimes(previousFireTime, now);
    // No wall time from 1970 on is shown before 1969-12-31T10:00Z (UTC+14): start no earlier than that.
    let from = Math.max(times.previous === null ? times.now : times.previous + 1, EARLIEST);
    if (this.startDate !== null) from = Math.max(from, this.startDate.getTime());
    from = Math.ceil(from / 1000) * 1000;
    const end = Math.min(this.endDate?.getTime() ?? MAX_TIME, MAX_TIME);
    if (from > end) return null;
    let wall = searchStart(from, this.#zone);
    // Each pass returns, or skips a DST gap (or, defensively, one wall time): gaps are months apart.
    for (let pass = 0; pass < 1000; pass++) {
      const candidate = this.#nextWall(wall);
      if (candidate === null) return null;
      const instant = firstInstant(candidate, this.#zone);
      // APScheduler 3.11: a jittered time past endDate fires at endDate.
      if (instant !== null && instant >= from) return instant > end ? null : new Date(Math.min(withJitter(instant, this.jitter), end));
      wall = instant === null ? gapEnd(candidate, this.#zone) : wallOfMillis(wallMillis(candidate) + 1000);
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

  /** `cron[hour='3', minute='0', second='0']` (the fields that are not `*`), or `cron[crontab='0 9 * * 1-5']`. */
  toString(): string {
    const { minute, hour, day, month, dayOfWeek } = this.fields;
    if (this.crontab) return `cron[crontab='${minute} ${hour} ${day} ${month} ${dayOfWeek}']`;
    return `cron[${FIELDS.filter((field) => this.fields[field] !== '*').map((field) => `${field}='${this.fields[field]}'`).join(', ')}]`;
  }

  /** The first wall time at or after `from` that every field matches, or null when there is none up to 9999. */
  #nextWall(from: Wall): Wall | null {
    let { year, month, day, hour, minute, second } = from;
    // The calendar repeats every 400 years: a year searched whole without a match rules out its residue.
    const barren = new Set<number>();
    for (;;) {
      const nextYear = this.#next('year', year);
      if (nextYear < 0) return null;
      if (nextYear !== year) [year, month, day, hour, minute, second] = [nextYear, 1, 1, 0, 0, 0];
      const wholeYear = month === 1 && day === 1 && hour === 0 && minute === 0 && second === 0;
      const date = wholeYear && barren.has(year % 400) ? null : this.#nextDate(year, month, day);
      if (date === null) {
        if (wholeYear) barren.add(year % 400);
        [year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0];
        continue;
      }
      if (date.month !== month || date.day !== day) [month, day, hour, minute, second] = [date.month, date.day, 0, 0, 0];
      const time = this.#nextTime(hour, minute, second);
      if (time !== null) return { year, month, day, ...time };
      // Nothing left today: from the start of the next day (every time field has a value there).
      ({ year, month, day } = dateOfEpochDay(epochDay(year, month, day) + 1));
      [hour, minute, second] = [0, 0, 0];
    }
  }

  /** The first matching date of `year` at or after month/day, or null. */
  #nextDate(year: number, month: number, day: number): { month: number; day: number } | null {
    for (let m = this.#next('month', month); m >= 0; m = this.#next('month', m + 1)) {
      const first = epochDay(year, m, 1);
      const firstWeekday = weekdayOf(first);
      const lastDay = daysInMonth(year, m);
      const { allowed, last, positions } = this.#compiled.day;
      const special = positions.map(([position, weekday]) => positionDay(position, weekday, firstWeekday, lastDay));
      if (last) special.push(lastDay);
      for (let d = m === month ? day : 1; d <= lastDay; d++) {
        const byDay = allowed[d] === 1 || special.includes(d);
        const byWeekday = this.#compiled.dayOfWeek.allowed[(firstWeekday + d - 1) % 7] === 1;
        if (!(this.#eitherDay ? byDay || byWeekday : byDay && byWeekday)) continue;
        if (this.#anyWeek || this.#compiled.week.allowed[isoWeekOf(first + d - 1)] === 1) return { month: m, day: d };
      }
    }
    return null;
  }

  /** The first matching time of day at or after hour:minute:second, or null. */
  #nextTime(hour: number, minute: number, second: number): { hour: number; minute: number; second: number } | null {
    for (let h = this.#next('hour', hour); h >= 0; h = this.#next('hour', h + 1)) {
      for (let m = this.#next('minute', h === hour ? minute : 0); m >= 0; m = this.#next('minute', m + 1)) {
        const s = this.#next('second', h === hour && m === minute ? second : 0);
        if (s >= 0) return { hour: h, minute: m, second: s };
      }
    }
    return null;
  }

  /** The first allowed value of the field at or after `value`, or -1. */
  #next(field: Scanned, value: number): number {
    const table = this.#after[field];
    return value >= table.length ? -1 : (table[Math.max(value, SPECS[field].min)] as number);
  }
}

/** APScheduler's defaults: `*` above the least significant field given, minimums below it. */
function resolveFields(options: Record<string, unknown>): Record<FieldName, string> {
  const given = FIELDS.filter((field) => !absent(options[field]));
  const least = given.length === 0 ? -1 : FIELDS.indexOf(given[given.length - 1] as FieldName);
  const fields = {} as Record<FieldName, string>;
  FIELDS.forEach((field, i) => {
    const value = options[field];
    if (absent(value)) fields[field] = least >= 0 && i > least ? DEFAULTS[field] : '*';
    else if (typeof value === 'string' || typeof value === 'number') fields[field] = String(value).trim();
    else throw new InvalidTriggerError('cron', field, value, 'must be a string or a number');
  });
  return fields;
}

/** table[v] = the first v' >= v with allowed[v'], or -1 (one slot past the end, for v = max + 1). */
function afterTable(allowed: Uint8Array): Int16Array {
  const table = new Int16Array(allowed.length + 1).fill(-1);
  for (let value = allowed.length - 1; value >= 0; value--) table[value] = allowed[value] === 1 ? value : (table[value + 1] as number);
  return table;
}
