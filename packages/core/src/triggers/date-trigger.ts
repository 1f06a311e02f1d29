import { InvalidTriggerError } from '../errors.js';
import { absent, checkInstant, checkKeys, checkTimes, checkZone } from './options.js';
import type { DateTriggerJSON, Trigger } from './trigger.js';

/** Options of {@link DateTrigger}. */
export interface DateTriggerOptions {
  /** When to fire: a Date, or an ISO 8601 string (a wall time in `timezone` when it has no offset). */
  readonly runDate: Date | string;
  /** IANA zone for a runDate string without an offset. Default `UTC`. */
  readonly timezone?: string;
}

/** Fires once, at runDate (APScheduler's DateTrigger). */
export class DateTrigger implements Trigger {
  readonly runDate: Date;
  readonly timezone: string;

  constructor(options: DateTriggerOptions) {
    const o = checkKeys(options, ['runDate', 'timezone'], 'date');
    const { name, zone } = checkZone(o['timezone'], 'date');
    if (absent(o['runDate'])) throw new InvalidTriggerError('date', 'runDate', o['runDate'], 'is required');
    this.timezone = name;
    this.runDate = new Date(checkInstant(o['runDate'], zone, 'date', 'runDate'));
  }

  /** runDate, even when it has passed (the scheduler decides about misfires), until it has fired; then null. */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const { previous } = checkTimes(previousFireTime, now);
    return previous !== null && previous >= this.runDate.getTime() ? null : new Date(this.runDate);
  }

  toJSON(): DateTriggerJSON {
    return { type: 'date', runDate: this.runDate.toISOString(), timezone: this.timezone };
  }

  toString(): string {
    return `date[${this.runDate.toISOString()}]`;
  }
}
