import { CronTrigger, InvalidTriggerError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { fires } from './fires.js';

describe('CronTrigger expressions', () => {
  const cases: [string, ConstructorParameters<typeof CronTrigger>[0], string, string[]][] = [
    ['a value', { hour: 3 }, '2030-01-01T00:00:00Z', ['2030-01-01T03:00:00Z', '2030-01-02T03:00:00Z', '2030-01-03T03:00:00Z']],
    ['*/n', { minute: '*/20' }, '2030-01-01T00:05:00Z', ['2030-01-01T00:20:00Z', '2030-01-01T00:40:00Z', '2030-01-01T01:00:00Z']],
    ['a-b', { hour: '9-10', minute: 0 }, '2030-01-01T00:00:00Z', ['2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z', '2030-01-02T09:00:00Z']],
    ['a-b/n', { minute: '10-40/15' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:10:00Z', '2030-01-01T00:25:00Z', '2030-01-01T00:40:00Z', '2030-01-01T01:10:00Z']],
    ['a/n (from a to the maximum)', { second: '50/5' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:00:50Z', '2030-01-01T00:00:55Z', '2030-01-01T00:01:50Z']],
    ['a list', { hour: '1,13', minute: '0,30' }, '2030-01-01T00:00:00Z', ['2030-01-01T01:00:00Z', '2030-01-01T01:30:00Z', '2030-01-01T13:00:00Z', '2030-01-01T13:30:00Z']],
    ['month names and a name range', { month: 'feb-mar,nov', day: 1 }, '2030-01-15T00:00:00Z', ['2030-02-01T00:00:00Z', '2030-03-01T00:00:00Z', '2030-11-01T00:00:00Z', '2031-02-01T00:00:00Z']],
    ['weekday names (0 = Monday)', { dayOfWeek: 'sat,sun', hour: 8 }, '2030-01-01T00:00:00Z', ['2030-01-05T08:00:00Z', '2030-01-06T08:00:00Z', '2030-01-12T08:00:00Z']],
    ['weekday numbers, APScheduler style', { dayOfWeek: 0, hour: 8 }, '2030-01-01T00:00:00Z', ['2030-01-07T08:00:00Z', '2030-01-14T08:00:00Z']],
    ['weekday range mon-fri', { dayOfWeek: 'mon-fri', hour: 17 }, '2030-01-04T18:00:00Z', ['2030-01-07T17:00:00Z', '2030-01-08T17:00:00Z']],
    ['xth weekday', { day: '2nd fri' }, '2030-01-01T00:00:00Z', ['2030-01-11T00:00:00Z', '2030-02-08T00:00:00Z', '2030-03-08T00:00:00Z']],
    ['5th weekday only where there is one', { day: '5th sun' }, '2030-01-01T00:00:00Z', ['2030-03-31T00:00:00Z', '2030-06-30T00:00:00Z', '2030-09-29T00:00:00Z']],
    ['last weekday', { day: 'last mon' }, '2030-01-01T00:00:00Z', ['2030-01-28T00:00:00Z', '2030-02-25T00:00:00Z']],
    ['last day of the month', { day: 'last' }, '2032-01-15T00:00:00Z', ['2032-01-31T00:00:00Z', '2032-02-29T00:00:00Z', '2032-03-31T00:00:00Z']],
    ['ISO week numbers', { week: 1, dayOfWeek: 0 }, '2030-06-01T00:00:00Z', ['2030-12-30T00:00:00Z', '2031-12-29T00:00:00Z']],
    ['year ranges', { year: '2031-2032', month: 6, day: 15 }, '2030-01-01T00:00:00Z', ['2031-06-15T00:00:00Z', '2032-06-15T00:00:00Z']],
    ['day 31 only in long months', { day: 31 }, '2030-03-31T12:00:00Z', ['2030-05-31T00:00:00Z', '2030-07-31T00:00:00Z']],
    ['leap day', { month: 2, day: 29 }, '2030-01-01T00:00:00Z', ['2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']],
    ['no fields: every second', {}, '2030-01-01T00:00:00.500Z', ['2030-01-01T00:00:01Z', '2030-01-01T00:00:02Z']],
    ['case and spaces do not matter', { dayOfWeek: ' SUN ', hour: '12' }, '2030-01-01T00:00:00Z', ['2030-01-06T12:00:00Z']],
  ];
  for (const [name, options, now, expected] of cases) {
    it(`${name}: ${JSON.stringify(options)}`, () => {
      expect(fires(new CronTrigger({ timezone: 'UTC', ...options }), now, expected.length)).toStrictEqual(expected);
    });
  }

  it('defaults as APScheduler does: minimums below the least significant field given, * above and for week/dayOfWeek', () => {
    expect(new CronTrigger({ day: 15 }).fields).toStrictEqual({ year: '*', month: '*', day: '15', week: '*', dayOfWeek: '*', hour: '0', minute: '0', second: '0' });
    expect(new CronTrigger({ month: 6, minute: 5 }).fields).toStrictEqual({ year: '*', month: '6', day: '*', week: '*', dayOfWeek: '*', hour: '*', minute: '5', second: '0' });
    expect(new CronTrigger().fields.second).toBe('*');
  });

  it('fires after the previous fire time, never at it, and respects start and end dates', () => {
    const trigger = new CronTrigger({ minute: '*/10', startDate: '2030-01-01T00:25:00Z', endDate: '2030-01-01T01:00:00Z' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 10)).toStrictEqual(['2030-01-01T00:30:00Z', '2030-01-01T00:40:00Z', '2030-01-01T00:50:00Z', '2030-01-01T01:00:00Z']);
    expect(trigger.getNextFireTime(new Date('2030-01-01T00:30:00Z'), new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T00:40:00.000Z');
  });

  it('an expression that can never match gives null, quickly', () => {
    expect(new CronTrigger({ month: 'feb', day: 31 }).getNextFireTime(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    expect(new CronTrigger({ year: 2000 }).getNextFireTime(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    expect(new CronTrigger({ day: '5th mon', month: 2, year: '2030-2035' }).getNextFireTime(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('jitter adds up to the given seconds', () => {
    const trigger = new CronTrigger({ minute: 0, jitter: 30 });
    trigger.random = () => 0.5;
    expect(trigger.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:00:15.000Z');
  });

  const invalid: [Record<string, unknown>, string, RegExp][] = [
    [{ hour: 25 }, 'hour', /25 is outside 0-23/],
    [{ minute: '*/0' }, 'minute', /step must be at least 1/],
    [{ second: '*/61' }, 'second', /larger than the field's range/],
    [{ day: '10-5' }, 'day', /runs backwards/],
    [{ dayOfWeek: 'mon-' }, 'dayOfWeek', /not a cron expression/],
    [{ dayOfWeek: 'funday' }, 'dayOfWeek', /unknown weekday name "funday"/],
    [{ month: 'smarch' }, 'month', /unknown month name "smarch"/],
    [{ hour: '5th mon' }, 'hour', /only allowed in the day field/],
    [{ day: '2nd xyz' }, 'day', /unknown weekday "xyz"/],
    [{ hour: '' }, 'hour', /is empty/],
    [{ hour: '1,,2' }, 'hour', /not a cron expression/],
    [{ year: 1969 }, 'year', /outside 1970-9999/],
    [{ timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
    [{ startDate: '2030-02-01T00:00:00Z', endDate: '2030-01-01T00:00:00Z' }, 'endDate', /before startDate/],
    [{ jitter: -1 }, 'jitter', /positive/],
    [{ hours: 3 }, 'hours', /unknown option/],
    [{ startDate: 'next tuesday' }, 'startDate', /ISO 8601/],
  ];
  for (const [options, field, message] of invalid) {
    it(`refuses ${JSON.stringify(options)} naming ${field}`, () => {
      let error: unknown;
      try {
        new CronTrigger(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidTriggerError);
      expect((error as InvalidTriggerError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('CronTrigger.fromCrontab', () => {
  it('reads weekdays as crontab does: 0 and 7 are Sunday, 1 is Monday', () => {
    expect(fires(CronTrigger.fromCrontab('0 0 * * 0'), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 7'), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 1'), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-07T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('30 8 * * 1-5'), '2030-01-04T12:00:00Z', 2)).toStrictEqual(['2030-01-07T08:30:00Z', '2030-01-08T08:30:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 5-7'), '2030-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-04T00:00:00Z', '2030-01-05T00:00:00Z', '2030-01-06T00:00:00Z']);
  });

  it('matches day-of-month OR day-of-week when both are restricted (APScheduler 3 requires both)', () => {
    // The 13th, and every Friday.
    expect(fires(CronTrigger.fromCrontab('0 9 13 * fri'), '2030-09-01T00:00:00Z', 5)).toStrictEqual(['2030-09-06T09:00:00Z', '2030-09-13T09:00:00Z', '2030-09-20T09:00:00Z', '2030-09-27T09:00:00Z', '2030-10-04T09:00:00Z']);
    // Only one restricted: that one decides.
    expect(fires(CronTrigger.fromCrontab('0 9 13 * *'), '2030-09-01T00:00:00Z', 2)).toStrictEqual(['2030-09-13T09:00:00Z', '2030-10-13T09:00:00Z']);
  });

  it('takes month names, steps, macros and a time zone', () => {
    expect(fires(CronTrigger.fromCrontab('*/15 9 1 jan,jul *'), '2030-01-01T00:00:00Z', 5)).toStrictEqual(['2030-01-01T09:00:00Z', '2030-01-01T09:15:00Z', '2030-01-01T09:30:00Z', '2030-01-01T09:45:00Z', '2030-07-01T09:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@daily', { timezone: 'Europe/Berlin' }), '2030-01-01T12:00:00Z', 1)).toStrictEqual(['2030-01-01T23:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@hourly'), '2030-01-01T12:30:00Z', 1)).toStrictEqual(['2030-01-01T13:00:00Z']);
  });

  it('refuses lines that are not five crontab fields', () => {
    for (const line of ['* * * *', '* * * * * *', '0 0 * * 8', '0 0 * * sat-mon', '61 * * * *']) {
      expect(() => CronTrigger.fromCrontab(line)).toThrow(InvalidTriggerError);
    }
  });
});
