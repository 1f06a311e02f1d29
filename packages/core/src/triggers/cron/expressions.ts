import { InvalidTriggerError } from '../../errors.js';
import { MONTHS, RANGES, WEEKDAYS, type FieldName } from './fields.js';

/** The date a day-field expression is asked about. */
export interface DayContext {
  readonly year: number;
  readonly month: number;
  readonly lastDay: number;
}

/** One comma-separated part of a field: does it accept `value` (in the context of a month, for days)? */
export type Matcher = (value: number, context: DayContext) => boolean;

const STEP_RANGE = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/;
const ALL = /^\*(?:\/(\d+))?$/;
const NAME_RANGE = /^([a-z]+)(?:-([a-z]+))?$/;
const POSITION = /^(1st|2nd|3rd|4th|5th|last)\s+([a-z]+)$/;

/**
 * Parses one field's expression, APScheduler's language: `*`, `*\/n`, `a`, `a-b`, `a-b/n`,
 * `a/n`, comma lists; month and weekday names and name ranges; in `day` also `last`
 * (the month's last day) and `xth y` (`2nd fri`, `last sun`).
 */
export function parseField(field: FieldName, expression: string | number): Matcher[] {
  const text = String(expression).trim().toLowerCase();
  const fail = (reason: string): never => {
    throw new InvalidTriggerError('cron', field, expression, reason);
  };
  if (text === '') fail('is empty');
  const [min, max] = RANGES[field];
  return text.split(',').map((part) => {
    const item = part.trim();
    let match = ALL.exec(item);
    if (match !== null) {
      const step = match[1] === undefined ? 1 : Number(match[1]);
      if (step < 1) fail('a step must be at least 1');
      if (step > max - min + 1 && field !== 'year') fail(`the step ${step} is larger than the field's range ${min}-${max}`);
      return (value) => (value - min) % step === 0;
    }
    match = STEP_RANGE.exec(item);
    if (match !== null) {
      const first = Number(match[1]);
      const step = match[3] === undefined ? 1 : Number(match[3]);
      const last = match[2] !== undefined ? Number(match[2]) : match[3] !== undefined ? max : first;
      if (first < min || first > max) fail(`${first} is outside ${min}-${max}`);
      if (last < min || last > max) fail(`${last} is outside ${min}-${max}`);
      if (first > last) fail(`the range ${first}-${last} runs backwards`);
      if (step < 1) fail('a step must be at least 1');
      return (value) => value >= first && value <= last && (value - first) % step === 0;
    }
    if (field === 'day' && item === 'last') return (value, context) => value === context.lastDay;
    match = POSITION.exec(item);
    if (match !== null) {
      if (field !== 'day') fail(`"${item}" is only allowed in the day field`);
      const weekday = WEEKDAYS.indexOf(match[2] as string);
      if (weekday < 0) fail(`unknown weekday "${match[2]}"`);
      const option = match[1] as string;
      return (value, context) => value === nthWeekday(context, weekday, option);
    }
    match = NAME_RANGE.exec(item);
    if (match !== null && (field === 'month' || field === 'dayOfWeek')) {
      const names = field === 'month' ? MONTHS : WEEKDAYS;
      const offset = field === 'month' ? 1 : 0;
      const first = names.indexOf(match[1] as string);
      const last = match[2] === undefined ? first : names.indexOf(match[2]);
      if (first < 0) fail(`unknown ${field === 'month' ? 'month' : 'weekday'} name "${match[1]}"`);
      if (last < 0) fail(`unknown ${field === 'month' ? 'month' : 'weekday'} name "${match[2]}"`);
      if (first > last) fail(`the range ${match[1]}-${match[2]} runs backwards`);
      return (value) => value - offset >= first && value - offset <= last;
    }
    return fail(`"${item}" is not a cron expression for this field`);
  });
}

/** The day of the month of the option-th (1st..5th, last) `weekday` (0 = Monday), or 0 when there is none. */
function nthWeekday(context: DayContext, weekday: number, option: string): number {
  const firstWeekday = (new Date(Date.UTC(context.year, context.month - 1, 1)).getUTCDay() + 6) % 7;
  const first = 1 + ((weekday - firstWeekday + 7) % 7);
  if (option === 'last') return first + Math.floor((context.lastDay - first) / 7) * 7;
  const day = first + (Number(option[0]) - 1) * 7;
  return day <= context.lastDay ? day : 0;
}
