import type { Trigger, DateTriggerJSON } from './trigger.js';
import { checkKeys, parseInstant, zoneOf } from './wall-clock.js';

/** Options of {@link DateTrigger}. */
export interface DateTriggerOptions {
  /** When to fire: a Date, or an ISO string (a wall time in `timezone` when it has no offset). */
  readonly runDate: Date | string;
  /** IANA zone for a runDate string without an offset. Default `UTC`. */
  readonly timezone?: string;
}

/** Fires once, at runDate (APScheduler's DateTrigger). */
export class DateTrigger implements Trigger {
  readonly runDate: Date;
  readonly timezone: string;

  constructor(options: DateTriggerOptions) {
    const { runDate, timezone = 'UTC' } = checkKeys(options, ['runDate', 'timezone'], 'date') as unknown as DateTriggerOptions;
    const zone = zoneOf(timezone, 'date');
    this.timezone = timezone;
    this.runDate = new Date(parseInstant(runDate, zone, 'date', 'runDate'));
  }

  /** runDate until it has fired (it is later than previousFireTime), then null. */
  getNextFireTime(previousFireTime: Date | null): Date | null {
    if (previousFireTime !== null && previousFireTime.getTime() >= this.runDate.getTime()) return null;
    return new Date(this.runDate);
  }

  toJSON(): DateTriggerJSON {
    return { type: 'date', runDate: this.runDate.toISOString(), timezone: this.timezone };
  }

  toString(): string {
    return `date[${this.runDate.toISOString()}]`;
  }
}
