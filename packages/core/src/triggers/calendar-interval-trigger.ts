import type { IANAZone } from 'luxon';
import { InvalidTriggerError } from '../errors.js';
import type { CalendarIntervalTriggerJSON, Trigger } from './trigger.js';
import { checkKeys, daysInMonth, instantsOf, isoDate, parseCalendarDate, toWall, zoneOf, type Wall } from './wall-clock.js';

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
  /** The first day (a YYYY-MM-DD string or a Date read in the zone). Default: today. */
  readonly startDate?: Date | string;
  /** The last day that may fire. */
  readonly endDate?: Date | string;
  /** Default `UTC`. */
  readonly timezone?: string;
}

/** Fire dates further than this many steps ahead of the estimate are not searched. */
const MAX_STEPS = 10_000;

/**
 * Fires at the same wall-clock time every N years, months, weeks and days from startDate
 * (APScheduler 4's CalendarIntervalTrigger). The k-th fire date is startDate plus k × the
 * interval in calendar terms; a date that does not exist (Jan 31 + 1 month) is skipped, as is a
 * wall time that does not exist that day (a DST gap); a wall time that occurs twice fires once.
 */
export class CalendarIntervalTrigger implements Trigger {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly timezone: string;
  readonly #zone: IANAZone;
  readonly #start: Wall;
  readonly #end: Wall | null;

  constructor(options: CalendarIntervalTriggerOptions = {}) {
    const o = checkKeys(options, ['years', 'months', 'weeks', 'days', 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone'], 'calendarInterval');
    const int = (key: string, max: number): number => {
      const value = o[key] ?? 0;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
        throw new InvalidTriggerError('calendarInterval', key, value, `must be an integer from 0 to ${max}`);
      }
      return value;
    };
    this.years = int('years', 1000);
    this.months = int('months', 12_000);
    this.weeks = int('weeks', 52_000);
    this.days = int('days', 365_000);
    if (this.years + this.months + this.weeks + this.days === 0) throw new InvalidTriggerError('calendarInterval', 'interval', 0, 'give years, months, weeks or days');
    this.hour = int('hour', 23);
    this.minute = int('minute', 59);
    this.second = int('second', 59);
    this.timezone = (o['timezone'] as string | undefined) ?? 'UTC';
    this.#zone = zoneOf(this.timezone, 'calendarInterval');
    this.#start = o['startDate'] === undefined ? { ...toWall(Date.now(), this.#zone), hour: 0, minute: 0, second: 0 } : parseCalendarDate(o['startDate'], this.#zone, 'calendarInterval', 'startDate');
    this.#end = o['endDate'] === undefined || o['endDate'] === null ? null : parseCalendarDate(o['endDate'], this.#zone, 'calendarInterval', 'endDate');
    this.startDate = isoDate(this.#start);
    this.endDate = this.#end === null ? null : isoDate(this.#end);
    if (this.endDate !== null && this.endDate < this.startDate) throw new InvalidTriggerError('calendarInterval', 'endDate', this.endDate, 'is before startDate');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const after = previousFireTime === null ? now.getTime() - 1 : previousFireTime.getTime();
    const { year, month } = toWall(after, this.#zone);
    const monthStep = this.years * 12 + this.months;
    const dayStep = this.weeks * 7 + this.days;
    // Start a little before where the answer must be, then walk forward.
    const estimate =
      monthStep > 0
        ? Math.floor(((year - this.#start.year) * 12 + (month - this.#start.month)) / monthStep) - 1
        : Math.floor((Date.UTC(year, month - 1, 1) - Date.UTC(this.#start.year, this.#start.month - 1, this.#start.day)) / 86_400_000 / dayStep) - 1;
    for (let k = Math.max(0, estimate); k < Math.max(0, estimate) + MAX_STEPS; k++) {
      const date = this.#date(k, monthStep, dayStep);
      if (date === null) continue;
      if (date.year > 9999 || (this.endDate !== null && isoDate(date) > this.endDate)) return null;
      const [first] = instantsOf({ ...date, hour: this.hour, minute: this.minute, second: this.second }, this.#zone);
      if (first !== undefined && first > after) return new Date(first);
    }
    return null;
  }

  /** The k-th fire date, or null when it does not exist (the 31st of a shorter month). */
  #date(k: number, monthStep: number, dayStep: number): Wall | null {
    const months = this.#start.month - 1 + k * monthStep;
    const year = this.#start.year + Math.floor(months / 12);
    const month = (months % 12) + 1;
    if (this.#start.day > daysInMonth(year, month)) return null;
    const date = new Date(Date.UTC(year, month - 1, this.#start.day + k * dayStep));
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0, second: 0 };
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

  toString(): string {
    const parts = (['years', 'months', 'weeks', 'days'] as const).filter((unit) => this[unit] > 0).map((unit) => `${unit}=${this[unit]}`);
    const time = [this.hour, this.minute, this.second].map((n) => String(n).padStart(2, '0')).join(':');
    return `calendarInterval[${parts.join(', ')}, time=${time}]`;
  }
}
