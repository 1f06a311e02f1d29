import { InvalidTriggerError } from '../errors.js';
import type { IntervalTriggerJSON, Trigger } from './trigger.js';
import { checkJitter, checkKeys, parseInstant, withJitter, zoneOf } from './wall-clock.js';

/** Options of {@link IntervalTrigger}. */
export interface IntervalTriggerOptions {
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  /** The first fire time. Default: now + the interval (APScheduler's default). */
  readonly startDate?: Date | string;
  /** No fire time after this. */
  readonly endDate?: Date | string;
  /** IANA zone for date strings without an offset. Default `UTC`. */
  readonly timezone?: string;
  /** Up to this many seconds of random delay on each fire time. */
  readonly jitter?: number;
}

const UNITS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;

/**
 * Fires every interval from startDate (APScheduler's IntervalTrigger). It counts elapsed time:
 * `days: 1` is 24 hours, whatever DST does to the wall clock. Fire times sit on the grid
 * startDate + k × interval, so jitter never makes the schedule drift.
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
  /** @internal for tests: the source of randomness for jitter. */
  random: () => number = Math.random;

  constructor(options: IntervalTriggerOptions = {}) {
    const o = checkKeys(options, ['weeks', 'days', 'hours', 'minutes', 'seconds', 'startDate', 'endDate', 'timezone', 'jitter'], 'interval');
    const amount = (unit: keyof typeof UNITS): number => {
      const value = o[unit] ?? 0;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidTriggerError('interval', unit, value, 'must be a non-negative number');
      return value;
    };
    this.weeks = amount('weeks');
    this.days = amount('days');
    this.hours = amount('hours');
    this.minutes = amount('minutes');
    this.seconds = amount('seconds');
    this.interval = Math.round(this.weeks * UNITS.weeks + this.days * UNITS.days + this.hours * UNITS.hours + this.minutes * UNITS.minutes + this.seconds * UNITS.seconds);
    if (this.interval < 1) throw new InvalidTriggerError('interval', 'interval', this.interval, 'must be at least 1 ms (give weeks, days, hours, minutes or seconds)');
    this.timezone = (o['timezone'] as string | undefined) ?? 'UTC';
    const zone = zoneOf(this.timezone, 'interval');
    this.startDate = new Date(o['startDate'] === undefined ? Date.now() + this.interval : parseInstant(o['startDate'], zone, 'interval', 'startDate'));
    this.endDate = o['endDate'] === undefined || o['endDate'] === null ? null : new Date(parseInstant(o['endDate'], zone, 'interval', 'endDate'));
    if (this.endDate !== null && this.endDate < this.startDate) throw new InvalidTriggerError('interval', 'endDate', this.endDate, 'is before startDate');
    this.jitter = checkJitter(o['jitter'], 'interval');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const start = this.startDate.getTime();
    let next: number;
    if (previousFireTime === null) {
      next = now.getTime() <= start ? start : start + Math.ceil((now.getTime() - start) / this.interval) * this.interval;
    } else {
      // The grid point after the previous fire time, even if that one was jittered.
      next = start + (Math.floor((previousFireTime.getTime() - start) / this.interval) + 1) * this.interval;
      if (previousFireTime.getTime() < start) next = start;
    }
    if (this.endDate !== null && next > this.endDate.getTime()) return null;
    return new Date(withJitter(next, this.jitter, this.random));
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

  toString(): string {
    const total = this.interval / 1000;
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `interval[${h}:${String(m).padStart(2, '0')}:${String(Number(s.toFixed(3))).padStart(2, '0')}]`;
  }
}
