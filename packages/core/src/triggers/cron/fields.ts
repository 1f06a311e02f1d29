/** The cron fields, most significant first (APScheduler's FIELD_NAMES, camelCased). */
export const FIELDS: readonly FieldName[] = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'];
/** One cron field's name. */
export type FieldName = 'year' | 'month' | 'day' | 'week' | 'dayOfWeek' | 'hour' | 'minute' | 'second';

/** What a field's expressions may say. */
export interface FieldSpec {
  readonly name: FieldName;
  readonly min: number;
  readonly max: number;
  /** Names the field takes for min, min + 1, ... (month and weekday names). */
  readonly names?: readonly string[];
  /** The day field also takes `last` and `xth weekday`. */
  readonly positions?: boolean;
}

export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** APScheduler numbers weekdays from Monday = 0. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** APScheduler 3's MIN_VALUES and MAX_VALUES. */
export const SPECS: Readonly<Record<FieldName, FieldSpec>> = {
  year: { name: 'year', min: 1970, max: 9999 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  day: { name: 'day', min: 1, max: 31, positions: true },
  week: { name: 'week', min: 1, max: 53 },
  dayOfWeek: { name: 'dayOfWeek', min: 0, max: 6, names: WEEKDAYS },
  hour: { name: 'hour', min: 0, max: 23 },
  minute: { name: 'minute', min: 0, max: 59 },
  second: { name: 'second', min: 0, max: 59 },
};

/** Crontab's day of week: 0 and 7 are Sunday, 1 is Monday. */
export const CRONTAB_WEEKDAY: FieldSpec = { name: 'dayOfWeek', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

/** What a field takes when it is omitted below the least significant field given (APScheduler's DEFAULT_VALUES). */
export const DEFAULTS: Readonly<Record<FieldName, string>> = {
  year: '*',
  month: '1',
  day: '1',
  week: '*',
  dayOfWeek: '*',
  hour: '0',
  minute: '0',
  second: '0',
};
