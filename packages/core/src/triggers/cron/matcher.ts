import { dateOfEpochDay, daysInMonth, epochDay, isoWeekOf, weekdayOf, type Wall } from '../wall-clock.js';
import type { WallSchedule } from '../dst.js';
import { compileCrontabWeekdays, matchesEitherDay } from './crontab.js';
import { compileField, positionDay, type CompiledField } from './expressions.js';
import { FIELDS, SPECS, type FieldName } from './fields.js';

type Scanned = 'year' | 'month' | 'hour' | 'minute' | 'second';

/**
 * The wall times a cron trigger's fields match, searched in wall-clock order: no zone here (the DST
 * rule in dst.ts maps the wall times to instants).
 */
export class CronMatcher implements WallSchedule {
  /** The hour field allows every hour (`*`, `0-23`): a repeated wall time fires in both passes. */
  readonly followsClock: boolean;
  readonly #compiled: Readonly<Record<FieldName, CompiledField>>;
  /** For each scanned field, the first allowed value at or after each value (-1: none). */
  readonly #after: Readonly<Record<Scanned, Int16Array>>;
  readonly #eitherDay: boolean;
  readonly #anyWeek: boolean;

  /** `crontab`: the fields have crontab's meaning (weekday 0 and 7 = Sunday; day OR weekday). */
  constructor(fields: Readonly<Record<FieldName, string>>, crontab: boolean) {
    const compiled = {} as Record<FieldName, CompiledField>;
    for (const field of FIELDS) {
      compiled[field] = crontab && field === 'dayOfWeek' ? compileCrontabWeekdays(fields[field]) : compileField(SPECS[field], fields[field]);
    }
    this.#compiled = compiled;
    this.#after = {
      year: afterTable(compiled.year.allowed),
      month: afterTable(compiled.month.allowed),
      hour: afterTable(compiled.hour.allowed),
      minute: afterTable(compiled.minute.allowed),
      second: afterTable(compiled.second.allowed),
    };
    this.#eitherDay = crontab && matchesEitherDay(fields.day, fields.dayOfWeek);
    this.#anyWeek = compiled.week.allowed.indexOf(0, SPECS.week.min) < 0;
    this.followsClock = compiled.hour.allowed.indexOf(0) < 0;
  }

  /** The first wall time at or after `from` that every field matches, or null when there is none up to 9999. */
  nextWall(from: Wall): Wall | null {
    let { year, month, day, hour, minute, second } = from;
    // The calendar repeats every 400 years: a year searched whole without a match rules out its residue.
    const barren = new Set<number>();
    for (;;) {
      const nextYear = this.#next('year', year);
      if (nextYear < 0) return null;
      if (nextYear !== year) [year, month, day, hour, minute, second] = [nextYear, 1, 1, 0, 0, 0];
      const wholeYear = month === 1 && day === 1 && hour === 0 && minute === 0 && second === 0;
      const date = wholeYear && barren.has(year % 400) ? null : this.#nextDate(year, month, day);
      if (date === null) {
        if (wholeYear) barren.add(year % 400);
        [year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0];
        continue;
      }
      if (date.month !== month || date.day !== day) [month, day, hour, minute, second] = [date.month, date.day, 0, 0, 0];
      const time = this.#nextTime(hour, minute, second);
      if (time !== null) return { year, month, day, ...time };
      // Nothing left today: from the start of the next day (every time field has a value there).
      ({ year, month, day } = dateOfEpochDay(epochDay(year, month, day) + 1));
      [hour, minute, second] = [0, 0, 0];
    }
  }

  /** The first matching date of `year` at or after month/day, or null. */
  #nextDate(year: number, month: number, day: number): { month: number; day: number } | null {
    for (let m = this.#next('month', month); m >= 0; m = this.#next('month', m + 1)) {
      const first = epochDay(year, m, 1);
      const firstWeekday = weekdayOf(first);
      const lastDay = daysInMonth(year, m);
      const { allowed, last, positions } = this.#compiled.day;
      const special = positions.map(([position, weekday]) => positionDay(position, weekday, firstWeekday, lastDay));
      if (last) special.push(lastDay);
      for (let d = m === month ? day : 1; d <= lastDay; d++) {
        const byDay = allowed[d] === 1 || special.includes(d);
        const byWeekday = this.#compiled.dayOfWeek.allowed[(firstWeekday + d - 1) % 7] === 1;
        if (!(this.#eitherDay ? byDay || byWeekday : byDay && byWeekday)) continue;
        if (this.#anyWeek || this.#compiled.week.allowed[isoWeekOf(first + d - 1)] === 1) return { month: m, day: d };
      }
    }
    return null;
  }

  /** The first matching time of day at or after hour:minute:second, or null. */
  #nextTime(hour: number, minute: number, second: number): { hour: number; minute: number; second: number } | null {
    for (let h = this.#next('hour', hour); h >= 0; h = this.#next('hour', h + 1)) {
      for (let m = this.#next('minute', h === hour ? minute : 0); m >= 0; m = this.#next('minute', m + 1)) {
        const s = this.#next('second', h === hour && m === minute ? second : 0);
        if (s >= 0) return { hour: h, minute: m, second: s };
      }
    }
    return null;
  }

  /** The first allowed value of the field at or after `value`, or -1. */
  #next(field: Scanned, value: number): number {
    const table = this.#after[field];
    return value >= table.length ? -1 : (table[Math.max(value, SPECS[field].min)] as number);
  }
}

/** table[v] = the first v' >= v with allowed[v'], or -1 (one slot past the end, for v = max + 1). */
function afterTable(allowed: Uint8Array): Int16Array {
  const table = new Int16Array(allowed.length + 1).fill(-1);
  for (let value = allowed.length - 1; value >= 0; value--) table[value] = allowed[value] === 1 ? value : (table[value + 1] as number);
  return table;
}
