import type { IANAZone } from 'luxon';
import { InvalidTriggerError } from '../errors.js';
import { MAX_TIME } from '../validate.js';
import { absent, checkCalendarDate, checkKeys, checkTimes, checkZone, isoDate, keepOptions } from './options.js';
import type { CalendarIntervalTriggerJSON, Trigger } from './trigger.js';
import { nextFireInstant, type WallSchedule } from './dst.js';
import { dateOfEpochDay, daysInMonth, epochDay, toWall, wallMillis, type Wall } from './wall-clock.js';

/** Options of {@link CalendarIntervalTrigger}. */
export interface CalendarIntervalTriggerOptions {
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
  /** Wall-clock time of day to fire at. Default 00:00:00. */
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  /** The first date (`YYYY-MM-DD`, or a Date read in the zone). Default: today in the zone. */
  readonly startDate?: Date | string;
  /** The last date that may fire (inclusive). */
  readonly endDate?: Date | string;
  /**
   * Default: the process's local zone, or the scheduler's zone when the trigger is given to a
   * scheduler that has one.
   */
  readonly timezone?: string;
}

const LAST_DAY = epochDay(9999, 12, 31);

/**
 * Fires at the same wall-clock time every N years, months, weeks and days from startDate
 * (APScheduler 4's CalendarIntervalTrigger). Each fire date comes from the one before: years and
 * months are added keeping the day of the month (a month without that day, like Jan 31 + 1 month,
 * is skipped, and the next is tried), then weeks and days are added.
 *
 * DST (the rule cron triggers follow too): on a date whose wall time does not exist (spring
 * forward) it fires moved forward by the gap's length, that same day (02:30 becomes 03:30 on a
 * New York spring-forward day); a wall time that occurs twice (fall back) fires once, at its
 * first occurrence, as its hour is a particular one.
 */
export class CalendarIntervalTrigger implements Trigger {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** `YYYY-MM-DD`. */
  readonly startDate: string;
  /** `YYYY-MM-DD`, or null. */
  readonly endDate: string | null;
  readonly timezone: string;
  readonly #zone: IANAZone;
  /** Days since 1970-01-01. */
  readonly #start: number;
  readonly #end: number;
  /** Its hour is a particular one: a repeated wall time fires once, at its first occurrence. */
  readonly #schedule: WallSchedule = { followsClock: false, nextWall: (from) => this.#nextWall(from) };
  /** The options, to be made again in another zone; null when the zone was given. */
  readonly #options: CalendarIntervalTriggerOptions | null;

  constructor(options: CalendarIntervalTriggerOptions = {}) {
    const o = checkKeys(options, ['years', 'months', 'weeks', 'days', 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone'], 'calendarInterval');
    const integer = (key: string, max: number): number => {
      const value = o[key] ?? 0;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
        throw new InvalidTriggerError('calendarInterval', key, value, `must be an integer from 0 to ${max}`);
      }
      return value;
    };
    // Bounds: more than 9999 years is past the last date there is.
    [this.years, this.months, this.weeks, this.days] = [integer('years', 9999), integer('months', 120_000), integer('weeks', 522_000), integer('days', 3_652_500)];
    if (this.years + this.months + this.weeks + this.days === 0) throw new InvalidTriggerError('calendarInterval', 'interval', 0, 'must be at least 1 day (give years, months, weeks or days)');
    [this.hour, this.minute, this.second] = [integer('hour', 23), integer('minute', 59), integer('second', 59)];
    const { name, zone } = checkZone(o['timezone'], 'calendarInterval');
    this.timezone = name;
    this.#zone = zone;
    if (absent(o['startDate'])) {
      const today = toWall(Date.now(), zone);
      this.#start = epochDay(today.year, today.month, today.day);
    } else {
      this.#start = checkCalendarDate(o['startDate'], zone, 'calendarInterval', 'startDate');
    }
    const end = absent(o['endDate']) ? null : checkCalendarDate(o['endDate'], zone, 'calendarInterval', 'endDate');
    if (end !== null && end < this.#start) throw new InvalidTriggerError('calendarInterval', 'endDate', o['endDate'], 'is before startDate');
    this.#end = end ?? LAST_DAY;
    this.startDate = isoDate(this.#start);
    this.endDate = end === null ? null : isoDate(end);
    this.#options = absent(o['timezone']) ? keepOptions(options, {}) : null;
  }

  /** See {@link Trigger.withDefaultTimezone}: a default startDate becomes today in `timezone`. */
  withDefaultTimezone(timezone: string): CalendarIntervalTrigger {
    return this.#options === null ? this : new CalendarIntervalTrigger({ ...this.#options, timezone });
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = checkTimes(previousFireTime, now);
    const instant = nextFireInstant(this.#schedule, this.#zone, times.previous === null ? times.now : times.previous + 1);
    return instant === null || instant > MAX_TIME ? null : new Date(instant);
  }

  /** The wall time of the first fire date whose time of day is at or after `from`, or null. */
  #nextWall(from: Wall): Wall | null {
    const target = wallMillis(from);
    for (const date of this.#dates(epochDay(from.year, from.month, from.day))) {
      if (date > this.#end) return null;
      const wall = { ...dateOfEpochDay(date), hour: this.hour, minute: this.minute, second: this.second };
      if (wallMillis(wall) >= target) return wall;
    }
    return null;
  }

  /** The fire dates (days since 1970-01-01) from `from` on, in order, up to 9999-12-31. */
  *#dates(from: number): Generator<number> {
    const months = this.years * 12 + this.months;
    const days = this.weeks * 7 + this.days;
    if (months === 0) {
      // Whole days only: the k-th date is start + k × days.
      for (let k = Math.max(0, Math.floor((from - this.#start) / days)); this.#start + k * days <= LAST_DAY; k++) yield this.#start + k * days;
      return;
    }
    const start = dateOfEpochDay(this.#start);
    if (days === 0) {
      // Whole months only: the k-th date is start + k × months, where that day exists.
      const target = dateOfEpochDay(from);
      for (let k = Math.max(0, Math.floor(((target.year - start.year) * 12 + target.month - start.month) / months)); ; k++) {
        const index = start.month - 1 + k * months;
        const [year, month] = [start.year + Math.floor(index / 12), (index % 12) + 1];
        if (year > 9999) return;
        if (start.day <= daysInMonth(year, month)) yield epochDay(year, month, start.day);
      }
    }
    // Months and days: each date depends on the one before, so walk from the start (cheap: no zone work).
    for (let date = this.#start; date <= LAST_DAY; ) {
      if (date >= from) yield date;
      const { year, month, day } = dateOfEpochDay(date);
      let index = year * 12 + month - 1 + months;
      while (day > daysInMonth(Math.floor(index / 12), (index % 12) + 1)) index += months;
      date = epochDay(Math.floor(index / 12), (index % 12) + 1, day) + days;
    }
  }

  toJSON(): CalendarIntervalTriggerJSON {
    return {
      type: 'calendarInterval',
      years: this.years,
      months: this.months,
      weeks: this.weeks,
      days: this.days,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      startDate: this.startDate,
      endDate: this.endDate,
      timezone: this.timezone,
    };
  }

  /** `calendarInterval[months=1, time=09:00:00]`. */
  toString(): string {
    const units = (['years', 'months', 'weeks', 'days'] as const).filter((unit) => this[unit] > 0).map((unit) => `${unit}=${this[unit]}`);
    const time = [this.hour, this.minute, this.second].map((n) => String(n).padStart(2, '0')).join(':');
    return `calendarInterval[${units.join(', ')}, time=${time}]`;
  }
}
