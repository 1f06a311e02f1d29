import { InvalidTriggerError } from '../../errors.js';
import type { FieldSpec } from './fields.js';
import { WEEKDAYS } from './fields.js';

/** A field's expression, compiled. */
export interface CompiledField {
  /** `allowed[v]` is 1 when the plain expressions (`*`, ranges, steps, names) accept v. */
  readonly allowed: Uint8Array;
  /** Day field: `last`, the month's last day. */
  readonly last: boolean;
  /** Day field: `xth weekday` as [position 0..4 (1st..5th) or 5 (last), weekday 0 = Monday]. */
  readonly positions: readonly (readonly [number, number])[];
}

const ALL = /^\*(?:\/(\d+))?$/;
const RANGE = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/;
const NAME_RANGE = /^([a-z]+)(?:-([a-z]+))?$/;
const POSITION = /^(1st|2nd|3rd|4th|5th|last) +(\w+)$/;
const POSITIONS = ['1st', '2nd', '3rd', '4th', '5th', 'last'];
const SEPARATOR = / *, */;

/**
 * Compiles one field's expression in APScheduler 3's language (apscheduler/triggers/cron/
 * expressions.py): comma-separated `*`, `*\/n`, `a`, `a-b`, `a-b/n`, `a/n` (a to the maximum);
 * names and name ranges in month and day of week; `last` and `xth weekday` in day. Steps and
 * bounds are checked as APScheduler checks them: a step may not exceed the range it steps over.
 * Unlike APScheduler 3, trailing text after a name (`mon-`, `mon-fri/2`) is refused, not ignored.
 */
export function compileField(spec: FieldSpec, expression: string): CompiledField {
  const fail = (reason: string): never => {
    throw new InvalidTriggerError('cron', spec.name, expression, reason);
  };
  const allowed = new Uint8Array(spec.max + 1);
  const positions: [number, number][] = [];
  let last = false;
  const mark = (first: number, end: number, step: number | null): void => {
    if (step !== null && step > end - first) fail(`the step ${step} is larger than the range it steps over (${end - first})`);
    for (let value = first; value <= end; value += step ?? 1) allowed[value] = 1;
  };
  const text = expression.trim().toLowerCase();
  if (text === '') fail('is empty');

  for (const item of text.split(SEPARATOR)) {
    let match = ALL.exec(item);
    if (match !== null) {
      const step = match[1] === undefined ? null : Number(match[1]);
      if (step === 0) fail('a step must be at least 1');
      mark(spec.min, spec.max, step);
      continue;
    }
    match = RANGE.exec(item);
    if (match !== null) {
      const first = Number(match[1]);
      const step = match[3] === undefined ? null : Number(match[3]);
      // `a` alone is a single value; `a/n` runs from a to the field's maximum.
      const end = match[2] !== undefined ? Number(match[2]) : match[3] !== undefined ? spec.max : first;
      if (first > end && match[2] !== undefined) fail(`the range ${first}-${end} runs backwards`);
      if (step === 0) fail('a step must be at least 1');
      if (first < spec.min || first > spec.max) fail(`${first} is outside ${spec.min}-${spec.max}`);
      if (end > spec.max) fail(`${end} is outside ${spec.min}-${spec.max}`);
      mark(first, end, step);
      continue;
    }
    match = POSITION.exec(item);
    if (match !== null) {
      if (spec.positions !== true) fail(`"${item}" is only allowed in the day field`);
      const weekday = WEEKDAYS.indexOf(match[2] as string);
      if (weekday < 0) fail(`unknown weekday name "${match[2]}"`);
      positions.push([POSITIONS.indexOf(match[1] as string), weekday]);
      continue;
    }
    if (item === 'last' && spec.positions === true) {
      last = true;
      continue;
    }
    match = NAME_RANGE.exec(item);
    if (match !== null && spec.names !== undefined) {
      const kind = spec.name === 'month' ? 'month' : 'weekday';
      const first = spec.names.indexOf(match[1] as string);
      const end = match[2] === undefined ? first : spec.names.indexOf(match[2]);
      if (first < 0) fail(`unknown ${kind} name "${match[1]}"`);
      if (end < 0) fail(`unknown ${kind} name "${match[2]}"`);
      if (first > end) fail(`the range ${match[1]}-${match[2]} runs backwards`);
      mark(spec.min + first, spec.min + end, null);
      continue;
    }
    fail(item === '' ? 'has an empty item in its list' : `"${item}" is not a valid ${spec.name} expression`);
  }
  return { allowed, last, positions };
}

/**
 * The day of the month of a position (0..4 for 1st..5th, 5 for last) of a weekday (0 = Monday),
 * or 0 when the month has no such day.
 */
export function positionDay(position: number, weekday: number, firstWeekday: number, lastDay: number): number {
  const first = 1 + ((weekday - firstWeekday + 7) % 7);
  const day = position === 5 ? first + Math.floor((lastDay - first) / 7) * 7 : first + position * 7;
  return day <= lastDay ? day : 0;
}
