/** The cron fields, most significant first, with their ranges (APScheduler's). */
export const FIELDS = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'] as const;
export type FieldName = (typeof FIELDS)[number];

export const RANGES: Readonly<Record<FieldName, readonly [number, number]>> = {
  year: [1970, 9999],
  month: [1, 12],
  day: [1, 31],
  week: [1, 53],
  dayOfWeek: [0, 6],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
};

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

export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** APScheduler numbers weekdays from Monday = 0. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
