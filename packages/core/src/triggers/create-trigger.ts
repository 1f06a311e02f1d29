import { InvalidTriggerError } from '../errors.js';
import { CalendarIntervalTrigger, type CalendarIntervalTriggerOptions } from './calendar-interval-trigger.js';
import { CronTrigger, type CronTriggerOptions } from './cron/cron-trigger.js';
import { DateTrigger, type DateTriggerOptions } from './date-trigger.js';
import { IntervalTrigger, type IntervalTriggerOptions } from './interval-trigger.js';
import type { Trigger } from './trigger.js';

/** The options of each trigger type createTrigger knows. */
export interface TriggerOptionsByType {
  date: DateTriggerOptions;
  interval: IntervalTriggerOptions;
  cron: CronTriggerOptions;
  calendarInterval: CalendarIntervalTriggerOptions;
}

/**
 * A trigger from its type and options, as APScheduler's `add_job(func, 'interval', minutes=1)`
 * makes one: `createTrigger('interval', { minutes: 1 })`. An option the type does not take gets
 * InvalidTriggerError naming the key. Without `timezone` the trigger runs in the process's local
 * zone (see {@link Trigger.withDefaultTimezone}); `createTrigger('date', {})` fires now.
 */
export function createTrigger<T extends keyof TriggerOptionsByType>(type: T, options: TriggerOptionsByType[T]): Trigger;
export function createTrigger(type: string, options: Record<string, unknown>): Trigger;
export function createTrigger(type: string, options: Record<string, unknown>): Trigger {
  switch (type) {
    case 'date':
      return new DateTrigger(options);
    case 'interval':
      return new IntervalTrigger(options);
    case 'cron':
      return new CronTrigger(options);
    case 'calendarInterval':
      return new CalendarIntervalTrigger(options);
    default:
      throw new InvalidTriggerError('unknown', 'type', type, 'is not a trigger type (date, interval, cron, calendarInterval)');
  }
}
