/**
 * A trigger computes when a job fires. Triggers are plain values: they keep no state between
 * calls, and their JSON form is what a store keeps (never code).
 */
export interface Trigger {
  /**
   * The next fire time after `previousFireTime`, or the first one at or after `now` when the job
   * has not fired yet (`previousFireTime` null). null when the trigger will not fire again.
   * With jitter, a random delay up to `jitter` seconds is added to the result, never past the
   * trigger's endDate (see each trigger's `jitter` option).
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null;
  /**
   * This trigger in `timezone` if it was made without a zone, else itself. A trigger made without
   * `timezone` runs in the process's local zone when used alone; a scheduler that has a zone calls
   * this on the triggers given to it, so that they run in the scheduler's zone instead.
   *
   * The trigger is made again from its original options in `timezone`: a date string without an
   * offset is read there, a default start that is an instant (an interval trigger's construction
   * time + interval, a date trigger's "now") stays that instant, and a calendar-interval trigger's
   * default startDate becomes today in `timezone`. A trigger with an explicit zone, or rebuilt by
   * {@link triggerFromJSON} (its JSON always names one), returns itself. AndTrigger and OrTrigger
   * pass the call to their triggers. Optional, for triggers of your own; every built-in one has it.
   *
   * @throws InvalidTriggerError when `timezone` is not an IANA zone name and the trigger would take it.
   */
  withDefaultTimezone?(timezone: string): Trigger;
  /** The JSON form, from which {@link triggerFromJSON} rebuilds an equal trigger. */
  toJSON(): TriggerJSON;
  /** A short human description, e.g. `cron[hour='3', minute='0']`. */
  toString(): string;
}

/** The JSON form of every trigger, told apart by `type`. */
export type TriggerJSON = DateTriggerJSON | IntervalTriggerJSON | CronTriggerJSON | CalendarIntervalTriggerJSON | AndTriggerJSON | OrTriggerJSON;

export interface DateTriggerJSON {
  readonly type: 'date';
  /** ISO 8601 instant. */
  readonly runDate: string;
  readonly timezone: string;
}

export interface IntervalTriggerJSON {
  readonly type: 'interval';
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly timezone: string;
  readonly jitter: number | null;
}

export interface CronTriggerJSON {
  readonly type: 'cron';
  /** Every field's expression as given (absent fields as the defaults they took). */
  readonly fields: Readonly<Record<'year' | 'month' | 'day' | 'week' | 'dayOfWeek' | 'hour' | 'minute' | 'second', string>>;
  /**
   * true for a trigger made by fromCrontab: the fields mean what they mean in a crontab line
   * (dayOfWeek 0 and 7 = Sunday; day and dayOfWeek, when neither starts with `*`, match either).
   */
  readonly crontab: boolean;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly timezone: string;
  readonly jitter: number | null;
}

export interface CalendarIntervalTriggerJSON {
  readonly type: 'calendarInterval';
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** ISO date (YYYY-MM-DD) of the first day. */
  readonly startDate: string;
  readonly endDate: string | null;
  readonly timezone: string;
}

export interface AndTriggerJSON {
  readonly type: 'and';
  readonly triggers: readonly TriggerJSON[];
  readonly threshold: number;
  readonly maxIterations: number;
}

export interface OrTriggerJSON {
  readonly type: 'or';
  readonly triggers: readonly TriggerJSON[];
}
