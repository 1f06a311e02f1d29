import { CronTrigger, InvalidTriggerError, type CronTriggerOptions } from '@jobstore/core';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const FIELDS = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'] as const;
type Field = (typeof FIELDS)[number];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CRONTAB_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A wall-clock reading with what the day fields need, computed here independently of the library. */
interface Reading {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Monday. */
  readonly weekday: number;
  readonly week: number;
  readonly lastDay: number;
}

function read(t: number, zone: string): Reading {
  const d = new Date(t + IANAZone.create(zone).offset(t) * 60_000);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const weekday = (d.getUTCDay() + 6) % 7;
  return { year, month, day, hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday, week: isoWeek(year, month, day, weekday), lastDay: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

/** ISO week by the ordinal-date formula (week = (ordinal - weekday + 10) / 7, then the year-end fixes). */
function isoWeek(year: number, month: number, day: number, weekday: number): number {
  const ordinal = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const week = Math.floor((ordinal - (weekday + 1) + 10) / 7);
  const weeksIn = (y: number): number => {
    const p = (x: number): number => (x + Math.floor(x / 4) - Math.floor(x / 100) + Math.floor(x / 400)) % 7;
    return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
  };
  if (week < 1) return weeksIn(year - 1);
  return week > weeksIn(year) ? 1 : week;
}

/** Whether the wall time of `t` was already shown earlier (the second pass of a fall-back hour). */
function isRepeat(t: number, zone: string): boolean {
  const z = IANAZone.create(zone);
  const now = z.offset(t);
  const before = z.offset(t - 3 * 3_600_000);
  if (before <= now) return false;
  const earlier = t - (before - now) * 60_000;
  return z.offset(earlier) === before;
}

/** An expression and the values it accepts (the oracle, built with the expression, not parsed from it). */
interface Expr {
  readonly text: string;
  readonly test: (value: number, reading: Reading) => boolean;
}

const anyOf = (parts: Expr[]): Expr => ({ text: parts.map((p) => p.text).join(','), test: (v, r) => parts.some((p) => p.test(v, r)) });

/** APScheduler's numeric forms over min..max; every step within the range it steps over, as APScheduler requires. */
function numeric(min: number, max: number, upTo = max): fc.Arbitrary<Expr> {
  const value = fc.integer({ min, max: upTo });
  const ordered = fc.tuple(value, value).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
  return fc.oneof(
    fc.constant<Expr>({ text: '*', test: () => true }),
    fc.integer({ min: 1, max: Math.min(max - min, 40) }).map((step): Expr => ({ text: `*/${step}`, test: (v) => (v - min) % step === 0 })),
    value.map((a): Expr => ({ text: String(a), test: (v) => v === a })),
    ordered.map(([a, b]): Expr => ({ text: `${a}-${b}`, test: (v) => v >= a && v <= b })),
    fc
      .tuple(ordered, fc.integer({ min: 1, max: 20 }))
      .filter(([[a, b], step]) => step <= b - a)
      .map(([[a, b], step]): Expr => ({ text: `${a}-${b}/${step}`, test: (v) => v >= a && v <= b && (v - a) % step === 0 })),
    fc
      .tuple(fc.integer({ min, max: Math.min(upTo, max - 1) }), fc.integer({ min: 1, max: 20 }))
      .filter(([a, step]) => step <= max - a)
      .map(([a, step]): Expr => ({ text: `${a}/${step}`, test: (v) => v >= a && (v - a) % step === 0 })),
  );
}

/** Names (and name ranges) for values base, base + 1, ... */
function named(names: readonly string[], base: number, value: (v: number, r: Reading) => number): fc.Arbitrary<Expr> {
  const index = fc.integer({ min: 0, max: names.length - 1 });
  return fc.oneof(
    index.map((i): Expr => ({ text: names[i] as string, test: (v, r) => value(v, r) === base + i })),
    fc.tuple(index, index).map(([a, b]): Expr => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return { text: `${names[lo]}-${names[hi]}`, test: (v, r) => value(v, r) >= base + lo && value(v, r) <= base + hi };
    }),
  );
}

const list = (part: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> => fc.array(part, { minLength: 1, maxLength: 3 }).map(anyOf);

const dayPositions = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 6 })).map(([position, weekday]): Expr => {
  const name = ['1st', '2nd', '3rd', '4th', '5th', 'last'][position] as string;
  return {
    text: `${name} ${WEEKDAYS[weekday]}`,
    test: (d, r) => r.weekday === weekday && (position === 5 ? d + 7 > r.lastDay : Math.ceil(d / 7) === position + 1),
  };
});

/** APScheduler expressions for each field; the value each one tests is given by `valueOf`. */
const EXPRESSIONS: Record<Field, fc.Arbitrary<Expr>> = {
  year: list(numeric(1970, 9999, 2110)),
  month: list(fc.oneof(numeric(1, 12), named(MONTHS, 1, (v) => v))),
  day: list(fc.oneof(numeric(1, 31), fc.constant<Expr>({ text: 'last', test: (d, r) => d === r.lastDay }), dayPositions)),
  week: list(numeric(1, 53)),
  dayOfWeek: list(fc.oneof(numeric(0, 6), named(WEEKDAYS, 0, (v) => v))),
  hour: list(numeric(0, 23)),
  minute: list(numeric(0, 59)),
  second: list(numeric(0, 59)),
};
const DEFAULT_TESTS: Record<Field, Expr['test']> = {
  year: () => true,
  month: (v) => v === 1,
  day: (v) => v === 1,
  week: () => true,
  dayOfWeek: () => true,
  hour: (v) => v === 0,
  minute: (v) => v === 0,
  second: (v) => v === 0,
};
/** The year field's range (APScheduler's): on 1970-01-01T00:00Z it is still 1969 west of UTC, and no cron fires then. */
const inYears = (r: Reading): boolean => r.year >= 1970 && r.year <= 9999;
const valueOf = (field: Field, r: Reading): number => (field === 'dayOfWeek' ? r.weekday : r[field]);

/** Some fields given; the oracle applies APScheduler's defaults to the others. */
const cronCase = (required: Partial<Record<Field, fc.Arbitrary<Expr>>> = {}) =>
  fc.record({ ...EXPRESSIONS, ...required }, { requiredKeys: Object.keys(required) as Field[] }).map((given: Partial<Record<Field, Expr>>) => {
    const least = Math.max(-1, ...FIELDS.map((field, i) => (given[field] === undefined ? -1 : i)));
    const tests = FIELDS.map((field, i) => given[field]?.test ?? (i > least ? DEFAULT_TESTS[field] : () => true));
    const options: Record<string, string> = {};
    for (const field of FIELDS) if (given[field] !== undefined) options[field] = (given[field] as Expr).text;
    return { options: options as CronTriggerOptions, matches: (r: Reading) => inYears(r) && FIELDS.every((field, i) => (tests[i] as Expr['test'])(valueOf(field, r), r)) };
  });

/** A crontab line with its oracle: crontab weekdays, and day OR weekday when neither starts with `*`. */
const crontabCase = fc
  .tuple(list(numeric(0, 59)), list(numeric(0, 23)), list(fc.oneof(numeric(1, 31), fc.constant<Expr>({ text: 'last', test: (d, r) => d === r.lastDay }))), list(fc.oneof(numeric(1, 12), named(MONTHS, 1, (v) => v))), list(fc.oneof(numeric(0, 7), named(CRONTAB_WEEKDAYS, 0, (v) => v))))
  .map(([minute, hour, day, month, weekday]) => {
    const either = !day.text.startsWith('*') && !weekday.text.startsWith('*');
    const sunday0 = (r: Reading): number => (r.weekday + 1) % 7;
    return {
      line: [minute, hour, day, month, weekday].map((e) => e.text).join(' '),
      matches: (r: Reading): boolean => {
        const byDay = day.test(r.day, r);
        const byWeekday = weekday.test(sunday0(r), r) || (sunday0(r) === 0 && weekday.test(7, r));
        return inYears(r) && r.second === 0 && minute.test(r.minute, r) && hour.test(r.hour, r) && month.test(r.month, r) && (either ? byDay || byWeekday : byDay && byWeekday);
      },
    };
  });

const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
const zone = fc.constantFrom(...ZONES);

/**
 * Checks a search result: after the start, matching, a first occurrence, and (when `minutes`)
 * no matching first-occurrence minute between the start and the result within two days.
 */
function checkResult(trigger: CronTrigger, matches: (r: Reading) => boolean, zoneName: string, now: Date, previous: Date | null, minutes: boolean): Date | null {
  const result = trigger.getNextFireTime(previous, now);
  const start = previous === null ? now.getTime() : previous.getTime() + 1;
  if (result !== null) {
    if (previous === null) expect(result.getTime()).toBeGreaterThanOrEqual(now.getTime());
    else expect(result.getTime()).toBeGreaterThan(previous.getTime());
    expect(result.getUTCMilliseconds()).toBe(0);
    const reading = read(result.getTime(), zoneName);
    expect(matches(reading), `${trigger} in ${zoneName}: ${result.toISOString()} does not match`).toBe(true);
    expect(isRepeat(result.getTime(), zoneName), `${result.toISOString()} repeats a wall time`).toBe(false);
  }
  if (minutes) {
    const end = Math.min(result?.getTime() ?? Number.POSITIVE_INFINITY, start + 2 * 86_400_000);
    for (let t = Math.ceil(start / 60_000) * 60_000; t < end; t += 60_000) {
      if (matches(read(t, zoneName)) && !isRepeat(t, zoneName)) {
        throw new Error(`${trigger} in ${zoneName} from ${new Date(start).toISOString()}: ${new Date(t).toISOString()} matches before ${result?.toISOString() ?? 'null'}`);
      }
    }
  }
  return result;
}

describe('cron fuzzing', () => {
  it('the parser takes any string in any field and builds a trigger or throws InvalidTriggerError', { timeout: 30_000 }, () => {
    const alphabet = fc.constantFrom(...'0123456789*/-, lastndrhmofuewbcjygpv\t'.split(''));
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: alphabet, maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 8 })), (field, text) => {
        let trigger: CronTrigger;
        try {
          trigger = new CronTrigger({ [field]: text });
        } catch (error) {
          // Plain checks: expect() in a loop of thousands costs more than the parsing.
          if (!(error instanceof InvalidTriggerError) || error.field !== field) throw error;
          return;
        }
        trigger.getNextFireTime(null, new Date('2030-01-01T00:00:00Z'));
      }),
      { numRuns: 2000 },
    );
  });

  it('grammar-made expressions are accepted; mutated ones are accepted or refused with InvalidTriggerError', { timeout: 30_000 }, () => {
    const mutation = fc.tuple(fc.nat(), fc.constantFrom('', '-', '/', ',', '*', ' ', '0', '99', 'x', 'last', 'mon'));
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS).chain((field) => fc.tuple(fc.constant(field), EXPRESSIONS[field], mutation)), ([field, expr, [at, insert]]) => {
        expect(() => new CronTrigger({ [field]: expr.text })).not.toThrow();
        const i = at % (expr.text.length + 1);
        const mutated = expr.text.slice(0, i) + insert + expr.text.slice(i + (insert === '' ? 1 : 0));
        try {
          new CronTrigger({ [field]: mutated });
        } catch (error) {
          if (!(error instanceof InvalidTriggerError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('fromCrontab takes any string and builds a trigger or throws InvalidTriggerError', { timeout: 30_000 }, () => {
    const token = fc.oneof(fc.constantFrom('*', '*/5', '1-5', '0-7/2', 'mon', 'sun-sat', 'jan', '0', '7', '8', '61', '-', '@daily', 'last'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(token, { minLength: 0, maxLength: 7 }), (parts) => {
        try {
          CronTrigger.fromCrontab(parts.join(' ')).getNextFireTime(null, new Date('2030-01-01T00:00:00Z'));
        } catch (error) {
          if (!(error instanceof InvalidTriggerError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the search ends, moves forward and lands on a matching first-occurrence wall time, in every zone', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(cronCase(), zone, instant, ({ options, matches }, zoneName, now) => {
        const trigger = new CronTrigger({ ...options, timezone: zoneName });
        const first = checkResult(trigger, matches, zoneName, now, null, false);
        if (first !== null) checkResult(trigger, matches, zoneName, now, first, false);
      }),
      { numRuns: 800 },
    );
  });

  it('APScheduler expressions at minute granularity: nothing that matches is skipped (brute force over 2 days)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(cronCase({ second: fc.constant<Expr>({ text: '0', test: (v) => v === 0 }) }), zone, instant, ({ options, matches }, zoneName, now) => {
        const trigger = new CronTrigger({ ...options, timezone: zoneName });
        const first = checkResult(trigger, matches, zoneName, now, null, true);
        if (first !== null) checkResult(trigger, matches, zoneName, first, first, true);
      }),
      { numRuns: 80 },
    );
  });

  it('crontab lines: nothing that matches is skipped (brute force over 2 days), across DST in every zone', { timeout: 60_000 }, () => {
    // Half the starts are within a day of a 2024 transition, where skipping is most likely.
    const near = fc.constantFrom('2024-03-10T04:00:00Z', '2024-11-03T03:00:00Z', '2024-03-30T22:00:00Z', '2024-10-26T22:00:00Z', '2024-10-05T12:00:00Z', '2024-04-06T12:00:00Z', '2024-09-28T10:00:00Z');
    const start = fc.oneof(instant, fc.tuple(near, fc.integer({ min: -86_400_000, max: 86_400_000 })).map(([t, shift]) => new Date(Date.parse(t) + Math.round(shift / 1000) * 1000)));
    fc.assert(
      fc.property(crontabCase, zone, start, ({ line, matches }, zoneName, now) => {
        const trigger = CronTrigger.fromCrontab(line, { timezone: zoneName });
        const first = checkResult(trigger, matches, zoneName, now, null, true);
        if (first !== null) checkResult(trigger, matches, zoneName, first, first, true);
      }),
      { numRuns: 110 },
    );
  });
});
