import { CronTrigger, InvalidTriggerError } from '@jobstore/core';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A valid expression for a field of range min..max. */
const expression = (min: number, max: number, names: string[] = []): fc.Arbitrary<string> => {
  const value = fc.integer({ min, max });
  const part = fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 1, max: Math.max(1, max - min + 1) }).map((step) => `*/${step}`),
    value.map(String),
    fc.tuple(value, value, fc.integer({ min: 1, max: 10 })).map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}/${step}`),
    ...(names.length > 0 ? [fc.constantFrom(...names)] : []),
  );
  return fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
};

const cronOptions = fc.record(
  {
    month: expression(1, 12, MONTHS),
    day: fc.oneof(expression(1, 31), fc.constantFrom('last', '1st mon', '2nd fri', 'last sun', '5th wed')),
    dayOfWeek: expression(0, 6, WEEKDAYS),
    hour: expression(0, 23),
    minute: expression(0, 59),
    second: expression(0, 59),
  },
  { requiredKeys: [] },
);

/** The trigger, asked from `instant` itself, returns it: the instant's wall time matches every field. */
function matchesAt(trigger: CronTrigger, instant: Date): boolean {
  return trigger.getNextFireTime(null, instant)?.getTime() === instant.getTime();
}

describe('cron fuzzing', () => {
  it('the parser takes any string and either builds a trigger or throws InvalidTriggerError', () => {
    fc.assert(
      fc.property(fc.constantFrom('year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'), fc.string({ maxLength: 20 }), (field, text) => {
        try {
          new CronTrigger({ [field]: text });
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTriggerError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('fromCrontab takes any string and either builds a trigger or throws InvalidTriggerError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('*', '*/5', '1-5', 'mon', 'jan', '0', '7', '61', '-'), fc.string({ maxLength: 4 })), { minLength: 0, maxLength: 6 }), (parts) => {
        try {
          CronTrigger.fromCrontab(parts.join(' '));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTriggerError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the next-time search ends, moves forward and lands on a matching wall time, in every zone', () => {
    fc.assert(
      fc.property(cronOptions, fc.constantFrom(...ZONES), fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (options, zone, now) => {
        const trigger = new CronTrigger({ ...options, timezone: zone });
        const first = trigger.getNextFireTime(null, now);
        if (first === null) return;
        expect(first.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(first.getUTCMilliseconds()).toBe(0);
        const second = trigger.getNextFireTime(first, first);
        if (second !== null) expect(second.getTime()).toBeGreaterThan(first.getTime());
        expect(matchesAt(trigger, first)).toBe(true);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('crontab lines: no matching wall minute is skipped before the result (brute force over 2 days)', () => {
    const field = (min: number, max: number): fc.Arbitrary<string> => fc.oneof(fc.constant('*'), fc.integer({ min, max }).map(String), fc.integer({ min: 2, max: Math.min(15, max - min + 1) }).map((s) => `*/${s}`));
    fc.assert(
      fc.property(field(0, 59), field(0, 23), field(1, 31), field(1, 12), fc.oneof(fc.constant('*'), fc.integer({ min: 0, max: 7 }).map(String)), fc.constantFrom(...ZONES), fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), (minute, hour, day, month, weekday, zone, now) => {
        const trigger = CronTrigger.fromCrontab(`${minute} ${hour} ${day} ${month} ${weekday}`, { timezone: zone });
        const result = trigger.getNextFireTime(null, now);
        const limit = now.getTime() + 2 * 86_400_000;
        const end = result === null ? limit : Math.min(result.getTime(), limit);
        const start = Math.ceil(now.getTime() / 60_000) * 60_000;
        const matches = (t: number): boolean => {
          const wall = DateTime.fromMillis(t, { zone });
          const dow = wall.weekday % 7; // crontab: Sunday 0
          const fit = (expr: string, v: number): boolean => expr === '*' || Number(expr) === v;
          const fitFrom = (expr: string, v: number, min: number): boolean => (expr.startsWith('*/') ? (v - min) % Number(expr.slice(2)) === 0 : fit(expr, v));
          const dayOk = fitFrom(day, wall.day, 1);
          const weekdayOk = weekday === '*' || Number(weekday) % 7 === dow;
          const dayRule = day !== '*' && weekday !== '*' ? dayOk || weekdayOk : dayOk && weekdayOk;
          return fitFrom(minute, wall.minute, 0) && fitFrom(hour, wall.hour, 0) && fitFrom(month, wall.month, 1) && dayRule;
        };
        for (let t = start; t < end; t += 60_000) {
          // A wall minute seen for the second time (DST fall back) is not a new fire time.
          const wall = DateTime.fromMillis(t, { zone });
          const firstOccurrence = DateTime.fromObject({ year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute }, { zone }).toMillis() === t;
          if (firstOccurrence && matches(t)) throw new Error(`${minute} ${hour} ${day} ${month} ${weekday} in ${zone} from ${now.toISOString()}: ${new Date(t).toISOString()} matches before ${result?.toISOString()}`);
        }
        if (result !== null) expect(matches(result.getTime())).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
