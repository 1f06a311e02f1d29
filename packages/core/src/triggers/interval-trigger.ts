import { InvalidTriggerError } from '../errors.js';
import { MAX_TIME } from '../validate.js';
import { absent, checkInstant, checkJitter, checkKeys, checkOrder, checkTimes, checkZone, keepOptions, withJitter } from './options.js';
import type { IntervalTriggerJSON, Trigger } from './trigger.js';

/** Options of {@link IntervalTrigger}: the interval is the sum of the units given. */
export interface IntervalTriggerOptions {
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  /** Fractions are kept to the millisecond. */
  readonly seconds?: number;
  /** The first fire time. Default: the time of construction + the interval (APScheduler's default). */
  readonly startDate?: Date | string;
  /** No fire time after this (inclusive). */
  readonly endDate?: Date | string;
  /**
   * IANA zone for date strings without an offset. Default: the process's local zone, or the
   * scheduler's zone when the trigger is given to a scheduler that has one.
   */
  readonly timezone?: string;
  /**
   * Up to this many seconds of random delay added to each fire time. A delayed time past endDate
   * is not a fire time: the trigger gives null there and is done, as APScheduler 3.11's
   * IntervalTrigger is (a cron trigger instead fires at endDate). Nothing fires after 9999-12-31.
   */
  readonly jitter?: number | null;
}

const UNITS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;

/**
 * Fires every interval from startDate (APScheduler's IntervalTrigger). It counts elapsed time:
 * `days: 1` is 86,400 seconds, whatever DST does to the wall clock. Fire times sit on the grid
 * startDate + k × interval: the next one is the first grid point after the previous fire time,
 * so jitter (or a late run) never makes the schedule drift.
 */
export class IntervalTrigger implements Trigger {
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** The interval in milliseconds. */
  readonly interval: number;
  readonly startDate: Date;
  readonly endDate: Date | null;
  readonly timezone: string;
  readonly jitter: number | null;
  /** The options, to be made again in another zone; null when the zone was given. */
  readonly #options: IntervalTriggerOptions | null;

  constructor(options: IntervalTriggerOptions = {}) {
    const o = checkKeys(options, [...Object.keys(UNITS), 'startDate', 'endDate', 'timezone', 'jitter'], 'interval');
    const amount = (unit: keyof typeof UNITS): number => {
      const value = o[unit] ?? 0;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidTriggerError('interval', unit, value, 'must be a number, 0 or more');
      return value;
    };
    [this.weeks, this.days, this.hours, this.minutes, this.seconds] = [amount('weeks'), amount('days'), amount('hours'), amount('minutes'), amount('seconds')];
    this.interval = Math.round(this.weeks * UNITS.weeks + this.days * UNITS.days + this.hours * UNITS.hours + this.minutes * UNITS.minutes + this.seconds * UNITS.seconds);
    if (!(this.interval >= 1)) throw new InvalidTriggerError('interval', 'interval', this.interval / 1000, 'must be more than 0 seconds (give weeks, days, hours, minutes or seconds)');
    if (this.interval > MAX_TIME) throw new InvalidTriggerError('interval', 'interval', this.interval / 1000, 'is longer than the years 1970..9999');
    const { name, zone } = checkZone(o['timezone'], 'interval');
    this.timezone = name;
    const start = absent(o['startDate']) ? Date.now() + this.interval : checkInstant(o['startDate'], zone, 'interval', 'startDate');
    if (start > MAX_TIME) throw new InvalidTriggerError('interval', 'startDate', new Date(start), 'now + the interval is after 9999-12-31');
    const end = absent(o['endDate']) ? null : checkInstant(o['endDate'], zone, 'interval', 'endDate');
    checkOrder(start, end, 'interval', o['endDate']);
    this.startDate = new Date(start);
    this.endDate = end === null ? null : new Date(end);
    this.jitter = checkJitter(o['jitter'], 'interval');
    // A default start (construction + interval) is an instant: it stays the same one in another zone.
    this.#options = absent(o['timezone']) ? keepOptions(options, absent(o['startDate']) ? { startDate: this.startDate } : {}) : null;
  }

  /** See {@link Trigger.withDefaultTimezone}: the same interval, date strings read in `timezone`. */
  withDefaultTimezone(timezone: string): IntervalTrigger {
    return this.#options === null ? this : new IntervalTrigger({ ...this.#options, timezone });
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = checkTimes(previousFireTime, now);
    const start = this.startDate.getTime();
    let next: number;
    if (times.previous === null) {
      next = times.now <= start ? start : start + Math.ceil((times.now - start) / this.interval) * this.interval;
    } else {
      // The first grid point after the previous fire time, even if that one was jittered.
      next = times.previous < start ? start : start + (Math.floor((times.previous - start) / this.interval) + 1) * this.interval;
    }
    if (next > Math.min(this.endDate?.getTime() ?? MAX_TIME, MAX_TIME)) return null;
    // APScheduler 3.11: jitter first, then a time past endDate ends the schedule (null).
    const jittered = withJitter(next, this.jitter);
    if (this.endDate !== null && jittered > this.endDate.getTime()) return null;
    return new Date(Math.min(jittered, MAX_TIME));
  }

  toJSON(): IntervalTriggerJSON {
    return {
      type: 'interval',
      weeks: this.weeks,
      days: this.days,
      hours: this.hours,
      minutes: this.minutes,
      seconds: this.seconds,
      startDate: this.startDate.toISOString(),
      endDate: this.endDate?.toISOString() ?? null,
      timezone: this.timezone,
      jitter: this.jitter,
    };
  }

  /** As Python prints the timedelta: `interval[0:05:00]`, `interval[1 day, 2:00:00]`. */
  toString(): string {
    const days = Math.floor(this.interval / UNITS.days);
    const rest = this.interval % UNITS.days;
    const pad = (n: number): string => String(n).padStart(2, '0');
    const fraction = rest % 1000 === 0 ? '' : `.${String((rest % 1000) * 1000).padStart(6, '0')}`;
    const clock = `${Math.floor(rest / UNITS.hours)}:${pad(Math.floor(rest / UNITS.minutes) % 60)}:${pad(Math.floor(rest / 1000) % 60)}${fraction}`;
    return `interval[${days === 0 ? '' : `${days} day${days === 1 ? '' : 's'}, `}${clock}]`;
  }
}
