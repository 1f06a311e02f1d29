import { absent, checkInstant, checkKeys, checkTimes, checkZone, keepOptions } from './options.js';
import type { DateTriggerJSON, Trigger } from './trigger.js';

/** Options of {@link DateTrigger}. */
export interface DateTriggerOptions {
  /**
   * When to fire: a Date, or an ISO 8601 string (a wall time in `timezone` when it has no offset).
   * Default: now, the moment of construction (APScheduler's default).
   */
  readonly runDate?: Date | string;
  /**
   * IANA zone for a runDate string without an offset. Default: the process's local zone, or the
   * scheduler's zone when the trigger is given to a scheduler that has one.
   */
  readonly timezone?: string;
}

/** Fires once, at runDate (APScheduler's DateTrigger); without one, at the moment it was made. */
export class DateTrigger implements Trigger {
  readonly runDate: Date;
  readonly timezone: string;
  /** The options, to be made again in another zone; null when the zone was given. */
  readonly #options: DateTriggerOptions | null;

  constructor(options: DateTriggerOptions = {}) {
    const o = checkKeys(options, ['runDate', 'timezone'], 'date');
    const { name, zone } = checkZone(o['timezone'], 'date');
    this.timezone = name;
    this.runDate = new Date(absent(o['runDate']) ? Date.now() : checkInstant(o['runDate'], zone, 'date', 'runDate'));
    // A default runDate (now) is an instant: it stays the same one in another zone.
    this.#options = absent(o['timezone']) ? keepOptions(options, absent(o['runDate']) ? { runDate: this.runDate } : {}) : null;
  }

  /** runDate, even when it has passed (the scheduler decides about misfires), until it has fired; then null. */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const { previous } = checkTimes(previousFireTime, now);
    return previous !== null && previous >= this.runDate.getTime() ? null : new Date(this.runDate);
  }

  /** See {@link Trigger.withDefaultTimezone}: a runDate string without an offset is read in `timezone`. */
  withDefaultTimezone(timezone: string): DateTrigger {
    return this.#options === null ? this : new DateTrigger({ ...this.#options, timezone });
  }

  toJSON(): DateTriggerJSON {
    return { type: 'date', runDate: this.runDate.toISOString(), timezone: this.timezone };
  }

  toString(): string {
    return `date[${this.runDate.toISOString()}]`;
  }
}
