import { CronTrigger, InvalidTriggerError, MAX_TIME, type CronTriggerOptions } from '@jobstore/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectInvalid, fires } from './fires.js';

// 2030-01-01 is a Tuesday.
describe('CronTrigger expressions (APScheduler 3 language)', () => {
  const cases: [string, CronTriggerOptions, string, string[]][] = [
    ['a number', { hour: 3 }, '2030-01-01T00:00:00Z', ['2030-01-01T03:00:00Z', '2030-01-02T03:00:00Z', '2030-01-03T03:00:00Z']],
    ['a value as a string', { minute: '7' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:07:00Z', '2030-01-01T01:07:00Z']],
    ['*/n', { minute: '*/20' }, '2030-01-01T00:05:00Z', ['2030-01-01T00:20:00Z', '2030-01-01T00:40:00Z', '2030-01-01T01:00:00Z']],
    [
      '*/n counts from the minimum: days 1, 11, 21, 31',
      { day: '*/10' },
      '2030-01-01T00:00:00Z',
      ['2030-01-01T00:00:00Z', '2030-01-11T00:00:00Z', '2030-01-21T00:00:00Z', '2030-01-31T00:00:00Z', '2030-02-01T00:00:00Z'],
    ],
    ['*/n on months: 1, 4, 7, 10', { month: '*/3' }, '2030-02-01T00:00:00Z', ['2030-04-01T00:00:00Z', '2030-07-01T00:00:00Z', '2030-10-01T00:00:00Z', '2031-01-01T00:00:00Z']],
    ['*/n on years counts from 1970', { year: '*/4' }, '2029-06-01T00:00:00Z', ['2030-01-01T00:00:00Z', '2034-01-01T00:00:00Z']],
    ['a-b', { hour: '9-10', minute: 0 }, '2030-01-01T00:00:00Z', ['2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z', '2030-01-02T09:00:00Z']],
    ['a-b/n', { minute: '10-40/15' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:10:00Z', '2030-01-01T00:25:00Z', '2030-01-01T00:40:00Z', '2030-01-01T01:10:00Z']],
    ['a/n runs from a to the maximum', { second: '50/5' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:00:50Z', '2030-01-01T00:00:55Z', '2030-01-01T00:01:50Z']],
    ['a list', { hour: '1,13', minute: '0,30' }, '2030-01-01T00:00:00Z', ['2030-01-01T01:00:00Z', '2030-01-01T01:30:00Z', '2030-01-01T13:00:00Z', '2030-01-01T13:30:00Z']],
    [
      'a list with spaces and mixed forms',
      { minute: ' 5 , 50-52 , */30 ' },
      '2030-01-01T00:00:00Z',
      ['2030-01-01T00:00:00Z', '2030-01-01T00:05:00Z', '2030-01-01T00:30:00Z', '2030-01-01T00:50:00Z', '2030-01-01T00:51:00Z', '2030-01-01T00:52:00Z'],
    ],
    ['month names and a name range', { month: 'feb-mar,nov', day: 1 }, '2030-01-15T00:00:00Z', ['2030-02-01T00:00:00Z', '2030-03-01T00:00:00Z', '2030-11-01T00:00:00Z', '2031-02-01T00:00:00Z']],
    ['weekday names (0 = Monday)', { dayOfWeek: 'sat,sun', hour: 8 }, '2030-01-01T00:00:00Z', ['2030-01-05T08:00:00Z', '2030-01-06T08:00:00Z', '2030-01-12T08:00:00Z']],
    ['weekday number 0 is Monday (APScheduler, not crontab)', { dayOfWeek: 0, hour: 8 }, '2030-01-01T00:00:00Z', ['2030-01-07T08:00:00Z', '2030-01-14T08:00:00Z']],
    ['weekday number 6 is Sunday', { dayOfWeek: 6 }, '2030-01-01T00:00:00Z', ['2030-01-06T00:00:00Z', '2030-01-13T00:00:00Z']],
    ['weekday numbers 0-4 are Monday to Friday', { dayOfWeek: '0-4', hour: 17 }, '2030-01-04T18:00:00Z', ['2030-01-07T17:00:00Z', '2030-01-08T17:00:00Z']],
    ['weekday range mon-fri', { dayOfWeek: 'mon-fri', hour: 17 }, '2030-01-04T18:00:00Z', ['2030-01-07T17:00:00Z', '2030-01-08T17:00:00Z']],
    ['weekday */2: mon, wed, fri, sun', { dayOfWeek: '*/2' }, '2030-01-01T00:00:00Z', ['2030-01-02T00:00:00Z', '2030-01-04T00:00:00Z', '2030-01-06T00:00:00Z', '2030-01-07T00:00:00Z']],
    ['xth weekday', { day: '2nd fri' }, '2030-01-01T00:00:00Z', ['2030-01-11T00:00:00Z', '2030-02-08T00:00:00Z', '2030-03-08T00:00:00Z']],
    ['3rd wed', { day: '3rd wed', hour: 12 }, '2030-01-01T00:00:00Z', ['2030-01-16T12:00:00Z', '2030-02-20T12:00:00Z']],
    ['5th weekday only in months that have one', { day: '5th sun' }, '2030-01-01T00:00:00Z', ['2030-03-31T00:00:00Z', '2030-06-30T00:00:00Z', '2030-09-29T00:00:00Z', '2030-12-29T00:00:00Z']],
    ['last weekday', { day: 'last fri' }, '2030-01-01T00:00:00Z', ['2030-01-25T00:00:00Z', '2030-02-22T00:00:00Z', '2030-03-29T00:00:00Z']],
    ['last day of the month, leap years too', { day: 'last' }, '2032-01-15T00:00:00Z', ['2032-01-31T00:00:00Z', '2032-02-29T00:00:00Z', '2032-03-31T00:00:00Z', '2032-04-30T00:00:00Z']],
    ['a day list of numbers and last', { day: '1,15,last', hour: 6 }, '2030-02-02T00:00:00Z', ['2030-02-15T06:00:00Z', '2030-02-28T06:00:00Z', '2030-03-01T06:00:00Z']],
    ['names are case-insensitive, spaces trimmed', { dayOfWeek: ' SUN ', hour: '12', day: '*' }, '2030-01-01T00:00:00Z', ['2030-01-06T12:00:00Z']],
    ['LAST and 1ST FRI', { day: 'LAST,1ST FRI' }, '2030-01-01T00:00:00Z', ['2030-01-04T00:00:00Z', '2030-01-31T00:00:00Z', '2030-02-01T00:00:00Z', '2030-02-28T00:00:00Z']],
    ['ISO week 1 (it can start in December)', { week: 1, dayOfWeek: 0 }, '2030-06-01T00:00:00Z', ['2030-12-30T00:00:00Z', '2031-12-29T00:00:00Z']],
    ['ISO week 53 exists in some years only', { week: 53, dayOfWeek: 'mon' }, '2025-01-01T00:00:00Z', ['2026-12-28T00:00:00Z', '2032-12-27T00:00:00Z']],
    ['day 1 in week 53: 1 January 2027 belongs to 2026', { week: '53', day: 1 }, '2025-01-01T00:00:00Z', ['2027-01-01T00:00:00Z']],
    ['day and dayOfWeek must both match: Friday the 13th', { day: 13, dayOfWeek: 'fri', hour: 9 }, '2030-01-01T00:00:00Z', ['2030-09-13T09:00:00Z', '2030-12-13T09:00:00Z']],
    ['year ranges', { year: '2031-2032', month: 6, day: 15 }, '2030-01-01T00:00:00Z', ['2031-06-15T00:00:00Z', '2032-06-15T00:00:00Z']],
    ['a single year fires once', { year: 2031 }, '2030-01-01T00:00:00Z', ['2031-01-01T00:00:00Z']],
    ['day 31 only in long months', { day: 31 }, '2030-03-31T12:00:00Z', ['2030-05-31T00:00:00Z', '2030-07-31T00:00:00Z']],
    ['29 February only in leap years', { month: 2, day: 29 }, '2030-01-01T00:00:00Z', ['2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']],
    ['29 February 2100 does not exist', { month: 2, day: 29 }, '2096-03-01T00:00:00Z', ['2104-02-29T00:00:00Z']],
    ['no fields at all: every second', {}, '2030-01-01T00:00:00.500Z', ['2030-01-01T00:00:01Z', '2030-01-01T00:00:02Z']],
    ['now on a match: fires at now', { minute: 30 }, '2030-01-01T10:30:00Z', ['2030-01-01T10:30:00Z', '2030-01-01T11:30:00Z']],
    ['carries over year end', { hour: 23, minute: 59, second: 59 }, '2030-12-31T23:59:59.001Z', ['2031-01-01T23:59:59Z']],
    ['a time zone: 09:00 in Tokyo (2030-01-01T00:00Z is 09:00 there)', { hour: 9, timezone: 'Asia/Tokyo' }, '2030-01-01T00:00:00Z', ['2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z']],
    ['a time zone behind UTC: midnight in New York', { hour: 0, timezone: 'America/New_York' }, '2030-01-01T00:00:00Z', ['2030-01-01T05:00:00Z', '2030-01-02T05:00:00Z']],
  ];
  for (const [name, options, now, expected] of cases) {
    it(`${name}: ${JSON.stringify(options)}`, () => {
      // UTC unless the case names a zone: the default is the process's local zone.
      expect(fires(new CronTrigger({ timezone: 'UTC', ...options }), now, expected.length + 1).slice(0, expected.length)).toStrictEqual(expected);
    });
  }

  it('defaults as APScheduler 3: minimums below the least significant field given, * above it and for week/dayOfWeek', () => {
    expect(new CronTrigger({ hour: 3 }).fields).toStrictEqual({ year: '*', month: '*', day: '*', week: '*', dayOfWeek: '*', hour: '3', minute: '0', second: '0' });
    expect(new CronTrigger({ day: 15 }).fields).toStrictEqual({ year: '*', month: '*', day: '15', week: '*', dayOfWeek: '*', hour: '0', minute: '0', second: '0' });
    expect(new CronTrigger({ month: 6, minute: 5 }).fields).toStrictEqual({ year: '*', month: '6', day: '*', week: '*', dayOfWeek: '*', hour: '*', minute: '5', second: '0' });
    expect(new CronTrigger({ year: 2030 }).fields).toStrictEqual({ year: '2030', month: '1', day: '1', week: '*', dayOfWeek: '*', hour: '0', minute: '0', second: '0' });
    expect(new CronTrigger({ dayOfWeek: 'mon' }).fields).toStrictEqual({ year: '*', month: '*', day: '*', week: '*', dayOfWeek: 'mon', hour: '0', minute: '0', second: '0' });
    expect(new CronTrigger({ second: 10 }).fields).toStrictEqual({ year: '*', month: '*', day: '*', week: '*', dayOfWeek: '*', hour: '*', minute: '*', second: '10' });
    expect(new CronTrigger().fields).toStrictEqual({ year: '*', month: '*', day: '*', week: '*', dayOfWeek: '*', hour: '*', minute: '*', second: '*' });
    // null is "not given", as None is in APScheduler.
    expect(new CronTrigger({ hour: 3, minute: null as never }).fields.minute).toBe('0');
  });

  it('fires strictly after the previous fire time, even when now is earlier', () => {
    const trigger = new CronTrigger({ minute: '*/10' });
    const previous = new Date('2030-01-01T00:30:00Z');
    expect(trigger.getNextFireTime(previous, previous)?.toISOString()).toBe('2030-01-01T00:40:00.000Z');
    expect(trigger.getNextFireTime(previous, new Date('2030-01-01T00:00:00Z'))?.toISOString()).toBe('2030-01-01T00:40:00.000Z');
    // A previous fire time with milliseconds (say, jittered) moves on to the next whole match.
    expect(trigger.getNextFireTime(new Date('2030-01-01T00:30:00.250Z'), previous)?.toISOString()).toBe('2030-01-01T00:40:00.000Z');
  });

  it('respects startDate and endDate (both inclusive)', () => {
    const trigger = new CronTrigger({ minute: '*/10', startDate: '2030-01-01T00:30:00Z', endDate: '2030-01-01T01:00:00Z' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 10)).toStrictEqual(['2030-01-01T00:30:00Z', '2030-01-01T00:40:00Z', '2030-01-01T00:50:00Z', '2030-01-01T01:00:00Z']);
    expect(trigger.getNextFireTime(null, new Date('2030-01-02T00:00:00Z'))).toBeNull();
  });

  it('reads date strings without an offset in its zone', () => {
    const trigger = new CronTrigger({ hour: 12, startDate: '2030-07-01', endDate: '2030-07-03 12:00', timezone: 'Europe/Berlin' });
    expect(trigger.startDate?.toISOString()).toBe('2030-06-30T22:00:00.000Z');
    expect(trigger.endDate?.toISOString()).toBe('2030-07-03T10:00:00.000Z');
    expect(fires(trigger, '2030-01-01T00:00:00Z', 5)).toStrictEqual(['2030-07-01T10:00:00Z', '2030-07-02T10:00:00Z', '2030-07-03T10:00:00Z']);
  });

  it('an expression that can never match (again) gives null', { timeout: 5000 }, () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(new CronTrigger({ month: 'feb', day: 31 }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ month: 4, day: 31, hour: '*', second: '*' }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ year: 2000 }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ week: 1, month: 6 }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ week: 53, day: 15 }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ day: '5th mon', month: 2, year: '2030-2035' }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ day: 29, month: 2, year: '2100-2103' }).getNextFireTime(null, now)).toBeNull();
    expect(new CronTrigger({ second: '*' }).getNextFireTime(null, new Date('9999-12-31T23:59:59.500Z'))).toBeNull();
    expect(new CronTrigger({ minute: 0 }).getNextFireTime(null, new Date('+010000-01-01T00:00:00Z'))).toBeNull();
  });

  it('the 5th Monday of February exists in some leap years', () => {
    expect(fires(new CronTrigger({ day: '5th mon', month: 2, timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2044-02-29T00:00:00Z']);
  });

  describe('jitter', () => {
    afterEach(() => vi.restoreAllMocks());

    it('adds a uniform delay of up to jitter seconds', () => {
      const trigger = new CronTrigger({ minute: 0, jitter: 30 });
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      expect(trigger.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:00:15.000Z');
      vi.spyOn(Math, 'random').mockReturnValue(0.999);
      expect(trigger.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:00:29.970Z');
    });

    it('a jittered previous fire time leads to the next scheduled one', () => {
      const trigger = new CronTrigger({ minute: 0, jitter: 120 });
      vi.spyOn(Math, 'random').mockReturnValue(0);
      expect(trigger.getNextFireTime(new Date('2030-01-01T01:01:59Z'), new Date('2030-01-01T01:02:00Z'))?.toISOString()).toBe('2030-01-01T02:00:00.000Z');
    });

    it('jitter never pushes a fire time past endDate: the delayed time is clamped to endDate (APScheduler 3.11)', () => {
      const trigger = new CronTrigger({ minute: 0, endDate: '2030-01-01T01:00:00Z', jitter: 120, timezone: 'UTC' });
      vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
      expect(trigger.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:00:00.000Z');
      // Within endDate, the delay is kept.
      const later = new CronTrigger({ minute: 0, endDate: '2030-01-01T01:01:00Z', jitter: 120, timezone: 'UTC' });
      vi.spyOn(Math, 'random').mockReturnValue(0.25);
      expect(later.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:00:30.000Z');
      vi.spyOn(Math, 'random').mockReturnValue(0.75);
      expect(later.getNextFireTime(null, new Date('2030-01-01T00:30:00Z'))?.toISOString()).toBe('2030-01-01T01:01:00.000Z');
    });

    it('jitter never pushes a fire time past 9999-12-31', () => {
      const trigger = new CronTrigger({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, jitter: 60, timezone: 'UTC' });
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      expect(trigger.getNextFireTime(null, new Date('9999-01-01T00:00:00Z'))?.getTime()).toBe(MAX_TIME);
    });
  });

  const invalid: [Record<string, unknown>, string, RegExp][] = [
    [{ hour: 25 }, 'hour', /cron trigger: invalid hour "25": 25 is outside 0-23/],
    [{ hour: '25' }, 'hour', /cron trigger: invalid hour "25": 25 is outside 0-23/],
    [{ minute: '*/0' }, 'minute', /step must be at least 1/],
    // APScheduler refuses a step larger than the range it steps over (59 for seconds).
    [{ second: '*/60' }, 'second', /step 60 is larger than the range/],
    [{ minute: '10-20/11' }, 'minute', /step 11 is larger than the range it steps over \(10\)/],
    [{ minute: '59/1' }, 'minute', /step 1 is larger/],
    [{ year: '*/8030' }, 'year', /step 8030/],
    [{ day: '10-5' }, 'day', /runs backwards/],
    [{ day: 0 }, 'day', /0 is outside 1-31/],
    [{ day: 32 }, 'day', /outside 1-31/],
    [{ month: 13 }, 'month', /outside 1-12/],
    [{ week: 0 }, 'week', /outside 1-53/],
    [{ week: 54 }, 'week', /outside 1-53/],
    [{ dayOfWeek: 7 }, 'dayOfWeek', /outside 0-6/],
    [{ dayOfWeek: 'mon-' }, 'dayOfWeek', /"mon-" is not a valid dayOfWeek expression/],
    [{ dayOfWeek: 'mon-fri/2' }, 'dayOfWeek', /not a valid/],
    [{ dayOfWeek: 'fri-mon' }, 'dayOfWeek', /runs backwards/],
    [{ dayOfWeek: 'funday' }, 'dayOfWeek', /unknown weekday name "funday"/],
    [{ dayOfWeek: 'monday' }, 'dayOfWeek', /unknown weekday name "monday"/],
    [{ month: 'smarch' }, 'month', /unknown month name "smarch"/],
    [{ month: 'jan-' }, 'month', /not a valid month expression/],
    [{ hour: 'mon' }, 'hour', /not a valid hour expression/],
    [{ hour: '5th mon' }, 'hour', /only allowed in the day field/],
    [{ dayOfWeek: 'last fri' }, 'dayOfWeek', /only allowed in the day field/],
    [{ hour: 'last' }, 'hour', /not a valid hour expression/],
    [{ day: '2nd xyz' }, 'day', /unknown weekday name "xyz"/],
    [{ day: '2nd 5' }, 'day', /unknown weekday name "5"/],
    [{ day: '6th mon' }, 'day', /not a valid day expression/],
    [{ day: 'lastly' }, 'day', /not a valid day expression/],
    [{ hour: '' }, 'hour', /is empty/],
    [{ hour: '1,,2' }, 'hour', /empty item/],
    [{ hour: '1,' }, 'hour', /empty item/],
    [{ hour: '1-' }, 'hour', /not a valid/],
    [{ hour: '1 - 2' }, 'hour', /not a valid/],
    [{ hour: 3.5 }, 'hour', /"3.5" is not a valid/],
    [{ hour: -1 }, 'hour', /not a valid/],
    [{ hour: true }, 'hour', /must be a string or a number/],
    [{ year: 1969 }, 'year', /outside 1970-9999/],
    [{ timezone: 'Mars/Olympus' }, 'timezone', /not an IANA time zone/],
    [{ timezone: 5 }, 'timezone', /not an IANA time zone/],
    [{ startDate: '2030-02-01T00:00:00Z', endDate: '2030-01-01T00:00:00Z' }, 'endDate', /before startDate/],
    [{ startDate: 'next tuesday' }, 'startDate', /ISO 8601/],
    [{ startDate: '2030-02-30' }, 'startDate', /ISO 8601/],
    [{ startDate: 1_900_000_000_000 }, 'startDate', /ISO 8601/],
    [{ endDate: new Date(Number.NaN) }, 'endDate', /ISO 8601/],
    [{ startDate: '1960-01-01T00:00:00Z' }, 'startDate', /outside 1970-01-01 .. 9999-12-31/],
    [{ jitter: -1 }, 'jitter', /positive/],
    [{ jitter: 0 }, 'jitter', /positive/],
    [{ jitter: '5' }, 'jitter', /positive/],
    [{ hours: 3 }, 'hours', /not an option of this trigger/],
    [{ day_of_week: 'mon' }, 'day_of_week', /not an option/],
  ];
  for (const [options, field, message] of invalid) {
    it(`refuses ${JSON.stringify(options)} naming ${field}`, () => {
      const error = expectInvalid(() => new CronTrigger(options as CronTriggerOptions), field, message);
      expect(error.message).toMatch(/^cron trigger: invalid /);
    });
  }

  it('refuses options that are not an object', () => {
    expectInvalid(() => new CronTrigger(null as never), 'options');
    expectInvalid(() => new CronTrigger('0 * * * *' as never), 'options');
  });

  it('toString shows the fields that are not *', () => {
    expect(String(new CronTrigger({ hour: 3 }))).toBe("cron[hour='3', minute='0', second='0']");
    expect(String(new CronTrigger({ day: 'last fri', timezone: 'Europe/Berlin' }))).toBe("cron[day='last fri', hour='0', minute='0', second='0']");
    expect(String(new CronTrigger())).toBe('cron[]');
  });

  it('refuses an invalid Date passed to getNextFireTime', () => {
    expect(() => new CronTrigger().getNextFireTime(null, new Date(Number.NaN))).toThrow(/now must be a valid Date/);
  });
});

describe('CronTrigger.fromCrontab', () => {
  it('reads weekdays as crontab does: 0 and 7 are Sunday, 1 is Monday', () => {
    expect(fires(CronTrigger.fromCrontab('0 0 * * 0', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 7', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 1', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-07T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 6', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-05T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * sun', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
  });

  it('weekday ranges and steps in crontab numbering', () => {
    // 1-5: Monday to Friday (APScheduler 3 would read it as Tuesday to Saturday).
    expect(fires(CronTrigger.fromCrontab('30 8 * * 1-5', { timezone: 'UTC' }), '2030-01-04T12:00:00Z', 3)).toStrictEqual(['2030-01-07T08:30:00Z', '2030-01-08T08:30:00Z', '2030-01-09T08:30:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 * * 5-7', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 4)).toStrictEqual([
      '2030-01-04T00:00:00Z',
      '2030-01-05T00:00:00Z',
      '2030-01-06T00:00:00Z',
      '2030-01-11T00:00:00Z',
    ]);
    expect(fires(CronTrigger.fromCrontab('0 0 * * mon-wed,sat', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 4)).toStrictEqual([
      '2030-01-01T00:00:00Z',
      '2030-01-02T00:00:00Z',
      '2030-01-05T00:00:00Z',
      '2030-01-07T00:00:00Z',
    ]);
    // */2: 0, 2, 4, 6 = Sunday, Tuesday, Thursday, Saturday.
    expect(fires(CronTrigger.fromCrontab('0 0 * * */2', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 4)).toStrictEqual([
      '2030-01-01T00:00:00Z',
      '2030-01-03T00:00:00Z',
      '2030-01-05T00:00:00Z',
      '2030-01-06T00:00:00Z',
    ]);
  });

  it('matches day-of-month OR day-of-week when both are restricted (APScheduler 3 requires both)', () => {
    // The 13th, and every Friday.
    expect(fires(CronTrigger.fromCrontab('0 9 13 * fri', { timezone: 'UTC' }), '2030-09-01T00:00:00Z', 6)).toStrictEqual([
      '2030-09-06T09:00:00Z',
      '2030-09-13T09:00:00Z',
      '2030-09-20T09:00:00Z',
      '2030-09-27T09:00:00Z',
      '2030-10-04T09:00:00Z',
      '2030-10-11T09:00:00Z',
    ]);
    expect(fires(CronTrigger.fromCrontab('0 9 1,15 * 1', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 4)).toStrictEqual([
      '2030-01-01T09:00:00Z',
      '2030-01-07T09:00:00Z',
      '2030-01-14T09:00:00Z',
      '2030-01-15T09:00:00Z',
    ]);
    // Only one restricted: that one decides.
    expect(fires(CronTrigger.fromCrontab('0 9 13 * *', { timezone: 'UTC' }), '2030-09-01T00:00:00Z', 2)).toStrictEqual(['2030-09-13T09:00:00Z', '2030-10-13T09:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 9 * * 5', { timezone: 'UTC' }), '2030-09-01T00:00:00Z', 2)).toStrictEqual(['2030-09-06T09:00:00Z', '2030-09-13T09:00:00Z']);
  });

  it('a field starting with * counts as unrestricted, so both must match (Vixie cron)', () => {
    // Odd days that are Fridays.
    expect(fires(CronTrigger.fromCrontab('0 9 */2 * fri', { timezone: 'UTC' }), '2030-09-01T00:00:00Z', 4)).toStrictEqual([
      '2030-09-13T09:00:00Z',
      '2030-09-27T09:00:00Z',
      '2030-10-11T09:00:00Z',
      '2030-10-25T09:00:00Z',
    ]);
    // The 13th when it is a Sunday, Tuesday, Thursday or Saturday.
    expect(fires(CronTrigger.fromCrontab('0 0 13 * */2', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 4)).toStrictEqual([
      '2030-01-13T00:00:00Z',
      '2030-04-13T00:00:00Z',
      '2030-06-13T00:00:00Z',
      '2030-07-13T00:00:00Z',
    ]);
  });

  it('takes month names, steps, lists, macros, a time zone and start/end/jitter', () => {
    expect(fires(CronTrigger.fromCrontab('*/15 9 1 jan,jul *', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 5)).toStrictEqual([
      '2030-01-01T09:00:00Z',
      '2030-01-01T09:15:00Z',
      '2030-01-01T09:30:00Z',
      '2030-01-01T09:45:00Z',
      '2030-07-01T09:00:00Z',
    ]);
    expect(fires(CronTrigger.fromCrontab('  0   12  *  *  *  ', { timezone: 'UTC' }), '2030-01-01T13:00:00Z', 1)).toStrictEqual(['2030-01-02T12:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@daily', { timezone: 'Europe/Berlin' }), '2030-01-01T12:00:00Z', 1)).toStrictEqual(['2030-01-01T23:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@hourly', { timezone: 'UTC' }), '2030-01-01T12:30:00Z', 1)).toStrictEqual(['2030-01-01T13:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@weekly', { timezone: 'UTC' }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-06T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@monthly', { timezone: 'UTC' }), '2030-01-01T00:00:01Z', 1)).toStrictEqual(['2030-02-01T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('@YEARLY', { timezone: 'UTC' }), '2030-01-01T00:00:01Z', 1)).toStrictEqual(['2031-01-01T00:00:00Z']);
    expect(fires(CronTrigger.fromCrontab('0 0 last * *', { timezone: 'UTC' }), '2030-02-01T00:00:00Z', 1)).toStrictEqual(['2030-02-28T00:00:00Z']);
    const bounded = CronTrigger.fromCrontab('0 * * * *', { startDate: '2030-01-01T05:00:00Z', endDate: '2030-01-01T06:00:00Z', jitter: 1, timezone: 'UTC' });
    expect(fires(bounded, '2030-01-01T00:00:00Z', 5).map((t) => t.slice(0, 16))).toStrictEqual(['2030-01-01T05:00', '2030-01-01T06:00']);
  });

  it('keeps the line in its fields and says crontab in JSON and toString', () => {
    const trigger = CronTrigger.fromCrontab('0 9 * * 1-5', { timezone: 'Europe/Berlin' });
    expect(trigger.fields).toStrictEqual({ year: '*', month: '*', day: '*', week: '*', dayOfWeek: '1-5', hour: '9', minute: '0', second: '0' });
    expect(trigger.toJSON().crontab).toBe(true);
    expect(String(trigger)).toBe("cron[crontab='0 9 * * 1-5']");
  });

  const bad: [unknown, string, RegExp][] = [
    ['* * * *', 'crontab', /needs 5 fields/],
    ['* * * * * *', 'crontab', /needs 5 fields/],
    ['', 'crontab', /needs 5 fields \(minute hour day month weekday\), got 0/],
    ['@reboot', 'crontab', /needs 5 fields/],
    [42, 'crontab', /must be a string/],
    ['0 0 * * 8', 'dayOfWeek', /outside 0-7/],
    ['0 0 * * sat-mon', 'dayOfWeek', /runs backwards/],
    ['0 0 * * monday', 'dayOfWeek', /unknown weekday name/],
    ['61 * * * *', 'minute', /outside 0-59/],
    ['* 24 * * *', 'hour', /outside 0-23/],
    ['* * 0 * *', 'day', /outside 1-31/],
    ['* * * 13 *', 'month', /outside 1-12/],
    ['*/0 * * * *', 'minute', /step/],
  ];
  for (const [line, field, message] of bad) {
    it(`refuses ${JSON.stringify(line)} naming ${field}`, () => {
      expectInvalid(() => CronTrigger.fromCrontab(line as string), field, message);
    });
  }

  it('refuses an option fromCrontab does not take', () => {
    expectInvalid(() => CronTrigger.fromCrontab('* * * * *', { hour: 3 } as never), 'hour', /not an option/);
  });

  it('crontab errors are InvalidTriggerErrors', () => {
    expect(() => CronTrigger.fromCrontab('x')).toThrow(InvalidTriggerError);
  });

  it('a line named like a member of Object.prototype is not a macro: InvalidTriggerError, not a TypeError', () => {
    for (const line of ['__proto__', ' Constructor ', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      expectInvalid(() => CronTrigger.fromCrontab(line), 'crontab', /needs 5 fields \(minute hour day month weekday\), got 1$/);
    }
  });

  it('refuses an unknown macro, naming the ones there are, and @reboot, which has no fire times', () => {
    for (const line of ['@__proto__', '@constructor', '@toString', '@weekdays', '@daily 5']) {
      expectInvalid(() => CronTrigger.fromCrontab(line), 'crontab', /is not one of the macros \(@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly\); a crontab line needs 5 fields/);
    }
    expectInvalid(() => CronTrigger.fromCrontab('@reboot'), 'crontab', /^cron trigger: invalid crontab "@reboot": @reboot has no fire times; /);
    expect(CronTrigger.fromCrontab(' @Daily ').fields).toMatchObject({ minute: '0', hour: '0', day: '*', month: '*', dayOfWeek: '*' });
  });

  it('month and weekday names are looked up in lists, so Object.prototype names are unknown names', () => {
    for (const name of ['constructor', 'tostring', 'valueof']) {
      expectInvalid(() => CronTrigger.fromCrontab(`0 0 * ${name} *`), 'month', /not a valid month expression|unknown month name/);
      expectInvalid(() => CronTrigger.fromCrontab(`0 0 * * ${name}`), 'dayOfWeek', /unknown weekday name|not a valid/);
      expectInvalid(() => new CronTrigger({ month: name }), 'month');
      expectInvalid(() => new CronTrigger({ dayOfWeek: name }), 'dayOfWeek');
      expectInvalid(() => new CronTrigger({ day: `last ${name}` }), 'day', /unknown weekday name/);
    }
  });
});
