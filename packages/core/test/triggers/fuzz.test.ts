import { CronTrigger, InvalidTriggerError, type CronTriggerOptions } from '@jobstore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowsEveryHour, isFireTime, list, numeric, read, type Expr, type Reading } from './cron-oracle.js';

// Troll (Antarctica) moves its clocks by 2 hours.
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Antarctica/Troll'];
const FIELDS = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'] as const;
type Field = (typeof FIELDS)[number];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CRONTAB_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

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

const dayPositions = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 6 })).map(([position, weekday]): Expr => {
  const name = ['1st', '2nd', '3rd', '4th', '5th', 'last'][position] as string;
  return {
    text: `${name} ${WEEKDAYS[weekday]}`,
    test: (d, r) => r.weekday === weekday && (position === 5 ? d + 7 > r.lastDay : Math.ceil(d / 7) === position + 1),
  };
});

/** APScheduler expressions for each field; the value each one tests is given by `fieldValue`. */
const EXPRESSIONS: Record<Field, fc.Arbitrary<Expr>> = {
  year: list(numeric(1970, 9999, 2110)),
  month: list(
    fc.oneof(
      numeric(1, 12),
      named(MONTHS, 1, (v) => v),
    ),
  ),
  day: list(fc.oneof(numeric(1, 31), fc.constant<Expr>({ text: 'last', test: (d, r) => d === r.lastDay }), dayPositions)),
  week: list(numeric(1, 53)),
  dayOfWeek: list(
    fc.oneof(
      numeric(0, 6),
      named(WEEKDAYS, 0, (v) => v),
    ),
  ),
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
const fieldValue = (field: Field, r: Reading): number => (field === 'dayOfWeek' ? r.weekday : r[field]);

/** Some fields given; the oracle applies APScheduler's defaults to the others. */
const cronCase = (required: Partial<Record<Field, fc.Arbitrary<Expr>>> = {}) =>
  fc.record({ ...EXPRESSIONS, ...required }, { requiredKeys: Object.keys(required) as Field[] }).map((given: Partial<Record<Field, Expr>>) => {
    const least = Math.max(-1, ...FIELDS.map((field, i) => (given[field] === undefined ? -1 : i)));
    const tests = FIELDS.map((field, i) => given[field]?.test ?? (i > least ? DEFAULT_TESTS[field] : () => true));
    const options: Record<string, string> = {};
    for (const field of FIELDS) if (given[field] !== undefined) options[field] = (given[field] as Expr).text;
    const hour = { text: '', test: tests[FIELDS.indexOf('hour')] as Expr['test'] };
    return {
      options: options as CronTriggerOptions,
      matches: (r: Reading) => inYears(r) && FIELDS.every((field, i) => (tests[i] as Expr['test'])(fieldValue(field, r), r)),
      followsClock: allowsEveryHour(hour, read(0, 'UTC')),
    };
  });

/** A crontab line with its oracle: crontab weekdays, and day OR weekday when neither starts with `*`. */
const crontabCase = fc
  .tuple(
    list(numeric(0, 59)),
    list(numeric(0, 23)),
    list(fc.oneof(numeric(1, 31), fc.constant<Expr>({ text: 'last', test: (d, r) => d === r.lastDay }))),
    list(
      fc.oneof(
        numeric(1, 12),
        named(MONTHS, 1, (v) => v),
      ),
    ),
    list(
      fc.oneof(
        numeric(0, 7),
        named(CRONTAB_WEEKDAYS, 0, (v) => v),
      ),
    ),
  )
  .map(([minute, hour, day, month, weekday]) => {
    const either = !day.text.startsWith('*') && !weekday.text.startsWith('*');
    const sunday0 = (r: Reading): number => (r.weekday + 1) % 7;
    return {
      line: [minute, hour, day, month, weekday].map((e) => e.text).join(' '),
      followsClock: allowsEveryHour(hour, read(0, 'UTC')),
      matches: (r: Reading): boolean => {
        const byDay = day.test(r.day, r);
        const byWeekday = weekday.test(sunday0(r), r) || (sunday0(r) === 0 && weekday.test(7, r));
        return inYears(r) && r.second === 0 && minute.test(r.minute, r) && hour.test(r.hour, r) && month.test(r.month, r) && (either ? byDay || byWeekday : byDay && byWeekday);
      },
    };
  });

const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
const zone = fc.constantFrom(...ZONES);
// Half the starts are within a day of a 2024 transition, where skipping is most likely.
const near = fc.constantFrom(
  '2024-03-10T04:00:00Z',
  '2024-11-03T03:00:00Z',
  '2024-03-30T22:00:00Z',
  '2024-10-26T22:00:00Z',
  '2024-10-05T12:00:00Z',
  '2024-04-06T12:00:00Z',
  '2024-09-28T10:00:00Z',
  '2024-03-31T00:00:00Z',
  '2024-10-27T00:00:00Z',
);
const start = fc.oneof(
  instant,
  fc.tuple(near, fc.integer({ min: -86_400_000, max: 86_400_000 })).map(([t, shift]) => new Date(Date.parse(t) + Math.round(shift / 1000) * 1000)),
);

/** What a case's trigger should fire on: the fields' oracle, and whether the hour field allows every hour. */
interface Oracle {
  readonly matches: (r: Reading) => boolean;
  readonly followsClock: boolean;
}

/**
 * Checks a search result: after the start, a fire time under the DST rule (a matching wall time;
 * a second occurrence only when the trigger follows the clock; or a gap's wall time moved forward),
 * and (when `minutes`) no such minute between the start and the result within two days.
 */
function checkResult(trigger: CronTrigger, { matches, followsClock }: Oracle, zoneName: string, now: Date, previous: Date | null, minutes: boolean): Date | null {
  const result = trigger.getNextFireTime(previous, now);
  const start = previous === null ? now.getTime() : previous.getTime() + 1;
  if (result !== null) {
    if (previous === null) expect(result.getTime()).toBeGreaterThanOrEqual(now.getTime());
    else expect(result.getTime()).toBeGreaterThan(previous.getTime());
    expect(result.getUTCMilliseconds()).toBe(0);
    expect(isFireTime(result.getTime(), zoneName, matches, followsClock), `${trigger} in ${zoneName}: ${result.toISOString()} is not a fire time`).toBe(true);
  }
  if (minutes) {
    const end = Math.min(result?.getTime() ?? Number.POSITIVE_INFINITY, start + 2 * 86_400_000);
    for (let t = Math.ceil(start / 60_000) * 60_000; t < end; t += 60_000) {
      if (isFireTime(t, zoneName, matches, followsClock)) {
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
      fc.property(
        fc.constantFrom(...FIELDS).chain((field) => fc.tuple(fc.constant(field), EXPRESSIONS[field], mutation)),
        ([field, expr, [at, insert]]) => {
          expect(() => new CronTrigger({ [field]: expr.text })).not.toThrow();
          const i = at % (expr.text.length + 1);
          const mutated = expr.text.slice(0, i) + insert + expr.text.slice(i + (insert === '' ? 1 : 0));
          try {
            new CronTrigger({ [field]: mutated });
          } catch (error) {
            if (!(error instanceof InvalidTriggerError)) throw error;
          }
        },
      ),
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

  it('the search ends, moves forward and lands on a fire time of the DST rule, in every zone', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(cronCase(), zone, instant, (oracle, zoneName, now) => {
        const trigger = new CronTrigger({ ...oracle.options, timezone: zoneName });
        const first = checkResult(trigger, oracle, zoneName, now, null, false);
        if (first !== null) checkResult(trigger, oracle, zoneName, now, first, false);
      }),
      { numRuns: 800 },
    );
  });

  it('APScheduler expressions at minute granularity: no fire time of the DST rule is skipped (brute force over 2 days)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(cronCase({ second: fc.constant<Expr>({ text: '0', test: (v) => v === 0 }) }), zone, start, (oracle, zoneName, now) => {
        const trigger = new CronTrigger({ ...oracle.options, timezone: zoneName });
        const first = checkResult(trigger, oracle, zoneName, now, null, true);
        if (first !== null) checkResult(trigger, oracle, zoneName, first, first, true);
      }),
      { numRuns: 80 },
    );
  });

  it('crontab lines: no fire time of the DST rule is skipped (brute force over 2 days), across DST in every zone', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(crontabCase, zone, start, (oracle, zoneName, now) => {
        const trigger = CronTrigger.fromCrontab(oracle.line, { timezone: zoneName });
        const first = checkResult(trigger, oracle, zoneName, now, null, true);
        if (first !== null) checkResult(trigger, oracle, zoneName, first, first, true);
      }),
      { numRuns: 110 },
    );
  });
});
