import {
  createTrigger,
  describeValue,
  InvalidArgumentError,
  type CalendarIntervalTriggerOptions,
  type CronTriggerOptions,
  type DateTriggerOptions,
  type IntervalTrigger,
  type IntervalTriggerOptions,
  type Trigger,
} from '@jobstore/core';

// The one job specification: which options a trigger type and a job take, their defaults and
// checks. The scheduler's addJob and modifyJob, the HTTP API's body schemas and the service's
// config loader all read their option names from here.

/** What addJob's `trigger` names when the trigger's options come alongside. */
export type TriggerType = 'date' | 'interval' | 'cron' | 'calendarInterval';

/** Every trigger type, for a schema or a message (the job-spec test checks it has each of TriggerType). */
export const TRIGGER_TYPES = ['date', 'interval', 'cron', 'calendarInterval'] as const satisfies readonly TriggerType[];

/** The trigger options addJob and rescheduleJob take beside `trigger` (APScheduler's **trigger_args): those of the trigger type named. */
export type TriggerOptions = Partial<DateTriggerOptions> & IntervalTriggerOptions & CronTriggerOptions & Omit<CalendarIntervalTriggerOptions, 'hour' | 'minute' | 'second'>;

/** Each trigger type's options, as addJob takes them beside `trigger`. */
export const TRIGGER_OPTIONS = {
  date: ['runDate', 'timezone'],
  interval: ['weeks', 'days', 'hours', 'minutes', 'seconds', 'startDate', 'endDate', 'timezone', 'jitter'],
  cron: ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone', 'jitter'],
  calendarInterval: ['years', 'months', 'weeks', 'days', 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone'],
} as const satisfies Readonly<Record<TriggerType, readonly (keyof TriggerOptions)[]>>;

export type TriggerOptionName = (typeof TRIGGER_OPTIONS)[TriggerType][number];

/** Every trigger type's options, each once. */
export const TRIGGER_OPTION_NAMES: readonly TriggerOptionName[] = [...new Set(Object.values(TRIGGER_OPTIONS).flat())];

/** The options of a job itself, as addJob takes them (APScheduler's add_job, camelCased); the trigger's options come beside them. */
export const JOB_OPTIONS = [
  'id',
  'func',
  'name',
  'args',
  'kwargs',
  'executor',
  'misfireGraceTime',
  'coalesce',
  'maxInstances',
  'trigger',
  'nextRunTime',
  'jobstore',
  'replaceExisting',
  'origin',
] as const;

export type JobOptionName = (typeof JOB_OPTIONS)[number];

/** The job options modifyJob may change: a job's id and store are what it is, replaceExisting is about adding. */
export const MODIFIABLE_JOB_OPTIONS = JOB_OPTIONS.filter(
  (name): name is Exclude<JobOptionName, 'id' | 'jobstore' | 'replaceExisting'> => name !== 'id' && name !== 'jobstore' && name !== 'replaceExisting',
);

export type ModifiableJobOptionName = (typeof MODIFIABLE_JOB_OPTIONS)[number];

/** APScheduler's job defaults. */
export interface JobDefaults {
  /** Seconds a run may start late and still run; null: however late. Default 1. */
  readonly misfireGraceTime?: number | null;
  /** Run once when several fire times are due at once. Default true. */
  readonly coalesce?: boolean;
  /** Most runs of one job at once in this process. Default 1. */
  readonly maxInstances?: number;
}

/** The defaults APScheduler uses, for a scheduler given none. */
export const APSCHEDULER_JOB_DEFAULTS: Required<JobDefaults> = { misfireGraceTime: 1, coalesce: true, maxInstances: 1 };

/** The job options a scheduler's jobDefaults may set. */
export const JOB_DEFAULT_OPTIONS = Object.keys(APSCHEDULER_JOB_DEFAULTS) as (keyof JobDefaults)[];

const ADD_JOB_OPTIONS = new Set<string>([...JOB_OPTIONS, ...TRIGGER_OPTION_NAMES]);

/** True for an option addJob takes: a job option or any trigger type's option. */
export const isAddJobOption = (name: string): boolean => ADD_JOB_OPTIONS.has(name);

/** `misfireGraceTime` → `misfire_grace_time`: the names of the HTTP API and the service's config. */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}` : S;

export const snakeCase = <S extends string>(name: S): SnakeCase<S> => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) as SnakeCase<S>;

export const camelCase = (name: string): string => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The defaults in effect: `defaults` over APScheduler's. InvalidArgumentError for a bad one. */
export function resolveJobDefaults(defaults: JobDefaults = {}): Required<JobDefaults> {
  const resolved = { ...APSCHEDULER_JOB_DEFAULTS, ...Object.fromEntries(Object.entries(defaults).filter(([, value]) => value !== undefined)) } as Required<JobDefaults>;
  checkJobOptions(resolved, 'jobDefaults');
  return resolved;
}

/** Checks misfireGraceTime, coalesce and maxInstances where they are given; `where` starts the message. */
export function checkJobOptions(options: JobDefaults, where: string): void {
  const { misfireGraceTime, coalesce, maxInstances } = options;
  if (misfireGraceTime !== undefined && misfireGraceTime !== null && !(typeof misfireGraceTime === 'number' && misfireGraceTime > 0 && Number.isFinite(misfireGraceTime))) {
    throw new InvalidArgumentError(`${where}: misfireGraceTime must be a positive number of seconds or null, got ${describeValue(misfireGraceTime)}`);
  }
  if (coalesce !== undefined && typeof coalesce !== 'boolean') throw new InvalidArgumentError(`${where}: coalesce must be a boolean, got ${describeValue(coalesce)}`);
  if (maxInstances !== undefined && !(Number.isInteger(maxInstances) && maxInstances >= 1)) {
    throw new InvalidArgumentError(`${where}: maxInstances must be a positive integer, got ${describeValue(maxInstances)}`);
  }
}

/** The trigger options among `options` (job options and undefined values left out). */
export function pickTriggerOptions(options: object): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if ((TRIGGER_OPTION_NAMES as readonly string[]).includes(key) && value !== undefined) picked[key] = value;
  return picked;
}

/**
 * The trigger addJob makes from a type and options: in `timezone` unless the options name one,
 * and a trigger without a start (runDate, startDate) starts from `now`, the scheduler's clock, as
 * APScheduler's do from the wall clock: a date trigger fires at `now`, an interval trigger first at
 * `now` + the interval, a calendar interval counts from `now`'s day. Job options among `options`
 * are left out.
 * InvalidTriggerError for a bad type or option.
 */
export function triggerFromOptions(type: string, options: object, context: { readonly timezone?: string | undefined; readonly now?: Date } = {}): Trigger {
  const given: Record<string, unknown> = { ...(context.timezone === undefined ? {} : { timezone: context.timezone }), ...pickTriggerOptions(options) };
  if (type === 'date' && given['runDate'] === undefined) given['runDate'] = context.now ?? new Date();
  // A trigger left to start "now" reads the wall clock; the scheduler's own clock decides instead.
  if (context.now !== undefined && given['startDate'] === undefined) {
    if (type === 'calendarInterval') given['startDate'] = context.now;
    if (type === 'interval') given['startDate'] = new Date(context.now.getTime() + (createTrigger(type, { ...given, startDate: context.now }) as IntervalTrigger).interval);
  }
  return createTrigger(type, given);
}
