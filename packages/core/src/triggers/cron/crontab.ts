import { InvalidTriggerError } from '../../errors.js';
import { compileField, type CompiledField } from './expressions.js';
import { CRONTAB_WEEKDAY } from './fields.js';

/** The fields of a crontab line, as written. */
export interface CrontabFields {
  readonly minute: string;
  readonly hour: string;
  readonly day: string;
  readonly month: string;
  readonly dayOfWeek: string;
}

/**
 * Vixie cron's macros (`@reboot` has no fire times, so it is refused). A Map, not an object
 * literal: a line like `__proto__` or `constructor` must not find Object.prototype's members.
 */
const MACROS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

const FIVE_FIELDS = 'needs 5 fields (minute hour day month weekday)';

/** Splits `minute hour day month weekday` (or a macro) into its fields. */
export function splitCrontab(expression: unknown): CrontabFields {
  if (typeof expression !== 'string') throw new InvalidTriggerError('cron', 'crontab', expression, 'must be a string');
  const text = expression.trim();
  const macro = text.startsWith('@') ? MACROS.get(text.toLowerCase()) : undefined;
  if (text.startsWith('@') && macro === undefined) {
    const why = text.toLowerCase() === '@reboot' ? '@reboot has no fire times' : `is not one of the macros (${[...MACROS.keys()].join(', ')})`;
    throw new InvalidTriggerError('cron', 'crontab', expression, `${why}; a crontab line ${FIVE_FIELDS} or a macro`);
  }
  const parts = (macro ?? text).split(/\s+/);
  if (parts.length !== 5) throw new InvalidTriggerError('cron', 'crontab', expression, `${FIVE_FIELDS}, got ${text === '' ? 0 : parts.length}`);
  const [minute, hour, day, month, dayOfWeek] = parts as [string, string, string, string, string];
  return { minute, hour, day, month, dayOfWeek };
}

/**
 * A crontab weekday expression (0 and 7 = Sunday, 1 = Monday, sun..sat) compiled to APScheduler's
 * numbering (0 = Monday .. 6 = Sunday), which the search uses.
 */
export function compileCrontabWeekdays(expression: string): CompiledField {
  const crontab = compileField(CRONTAB_WEEKDAY, expression);
  const allowed = new Uint8Array(7);
  for (let weekday = 0; weekday < 7; weekday++) {
    const sunday = weekday === 6;
    allowed[weekday] = crontab.allowed[sunday ? 0 : weekday + 1] === 1 || (sunday && crontab.allowed[7] === 1) ? 1 : 0;
  }
  return { allowed, last: false, positions: [] };
}

/**
 * Vixie cron's rule: when day of month and day of week are both restricted (neither starts with
 * `*`), a day matches if either field does; otherwise both must.
 */
export function matchesEitherDay(day: string, dayOfWeek: string): boolean {
  return !day.startsWith('*') && !dayOfWeek.startsWith('*');
}
