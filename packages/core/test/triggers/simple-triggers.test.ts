import { AndTrigger, CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, InvalidTriggerError, MAX_TIME, OrTrigger, createTrigger, triggerFromJSON } from '@jobstore/core';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectInvalid, fires } from './fires.js';

afterEach(() => vi.restoreAllMocks());

describe('DateTrigger', () => {
  it('fires once at runDate, however late it is asked', () => {
    const trigger = new DateTrigger({ runDate: '2030-01-01T09:00:00Z' });
    expect(fires(trigger, '2029-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T09:00:00Z']);
    expect(fires(trigger, '2031-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T09:00:00Z']);
    expect(trigger.getNextFireTime(new Date('2030-01-01T08:00:00Z'), new Date('2030-01-01T08:00:00Z'))?.toISOString()).toBe('2030-01-01T09:00:00.000Z');
  });

  it('reads a string without an offset as a wall time in its zone', () => {
    expect(new DateTrigger({ runDate: '2030-07-01 09:00', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-07-01T07:00:00.000Z');
    expect(new DateTrigger({ runDate: '2030-07-01', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-06-30T22:00:00.000Z');
    expect(new DateTrigger({ runDate: '2030-07-01T09:00:00.250', timezone: 'Asia/Tokyo' }).runDate.toISOString()).toBe('2030-07-01T00:00:00.250Z');
    expect(new DateTrigger({ runDate: '2030-07-01T09:00:00+05:30', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-07-01T03:30:00.000Z');
    expect(new DateTrigger({ runDate: '2030-07-01T09:00:00Z', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-07-01T09:00:00.000Z');
    expect(new DateTrigger({ runDate: new Date('2030-07-01T09:00:00Z'), timezone: 'UTC' }).toJSON()).toStrictEqual({ type: 'date', runDate: '2030-07-01T09:00:00.000Z', timezone: 'UTC' });
  });

  it('without runDate fires once, at the moment of construction (APScheduler: run_date defaults to now)', () => {
    for (const make of [() => new DateTrigger(), () => new DateTrigger({}), () => createTrigger('date', {}), () => new DateTrigger({ runDate: null as never })]) {
      const before = Date.now();
      const trigger = make() as DateTrigger;
      const after = Date.now();
      expect(trigger.runDate.getTime()).toBeGreaterThanOrEqual(before);
      expect(trigger.runDate.getTime()).toBeLessThanOrEqual(after);
      expect(trigger.getNextFireTime(null, new Date(after + 60_000))?.getTime()).toBe(trigger.runDate.getTime());
      expect(trigger.getNextFireTime(trigger.runDate, new Date(after))).toBeNull();
    }
  });

  it('refuses a bad or out-of-range date, a bad zone and unknown options', () => {
    expectInvalid(() => new DateTrigger({ runDate: 'soon' }), 'runDate', /ISO 8601/);
    expectInvalid(() => new DateTrigger({ runDate: new Date(Number.NaN) }), 'runDate');
    expectInvalid(() => new DateTrigger({ runDate: '10000-01-01T00:00:00Z' }), 'runDate');
    expectInvalid(() => new DateTrigger({ runDate: new Date(-1) }), 'runDate', /outside/);
    expectInvalid(() => new DateTrigger({ runDate: new Date(), timezone: 'Nowhere' }), 'timezone');
    expectInvalid(() => new DateTrigger({ runDate: new Date(), minutes: 5 } as never), 'minutes', /not an option/);
  });
});

describe('IntervalTrigger', () => {
  it('fires on the grid from startDate: first at startDate, then every interval', () => {
    const trigger = new IntervalTrigger({ minutes: 15, startDate: '2030-01-01T00:00:00Z' });
    expect(fires(trigger, '2029-12-31T00:00:00Z', 3)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:15:00Z', '2030-01-01T00:30:00Z']);
    expect(fires(trigger, '2030-01-01T00:20:00Z', 2)).toStrictEqual(['2030-01-01T00:30:00Z', '2030-01-01T00:45:00Z']);
    expect(fires(trigger, '2030-01-01T00:30:00Z', 1)).toStrictEqual(['2030-01-01T00:30:00Z']);
  });

  it('the next fire time is the grid point after the previous one, not previous + interval', () => {
    const trigger = new IntervalTrigger({ minutes: 10, startDate: '2030-01-01T00:00:00Z' });
    const late = new Date('2030-01-01T00:13:27Z');
    expect(trigger.getNextFireTime(late, late)?.toISOString()).toBe('2030-01-01T00:20:00.000Z');
    expect(trigger.getNextFireTime(new Date('2029-01-01T00:00:00Z'), late)?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('adds every unit, and keeps fractions of seconds to the millisecond', () => {
    const trigger = new IntervalTrigger({ weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1.5, startDate: new Date(0) });
    expect(trigger.interval).toBe(604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1500);
    expect(new IntervalTrigger({ hours: 1.5, startDate: new Date(0) }).interval).toBe(5_400_000);
    expect(fires(new IntervalTrigger({ seconds: 0.25, startDate: '2030-01-01T00:00:00Z' }), '2030-01-01T00:00:00.1Z', 2)).toStrictEqual(['2030-01-01T00:00:00.250Z', '2030-01-01T00:00:00.500Z']);
  });

  it('stops after endDate (inclusive)', () => {
    const trigger = new IntervalTrigger({ hours: 1, startDate: '2030-01-01T00:00:00Z', endDate: '2030-01-01T02:00:00Z' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 10)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-01T01:00:00Z', '2030-01-01T02:00:00Z']);
  });

  it('starts at construction + interval by default, and keeps that start in its JSON', () => {
    const before = Date.now();
    const trigger = new IntervalTrigger({ seconds: 30 });
    const after = Date.now();
    expect(trigger.startDate.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect(trigger.startDate.getTime()).toBeLessThanOrEqual(after + 30_000);
    expect(trigger.toJSON().startDate).toBe(trigger.startDate.toISOString());
    expect(trigger.getNextFireTime(null, new Date(after))?.getTime()).toBe(trigger.startDate.getTime());
  });

  it('reads date strings without an offset in its zone', () => {
    expect(new IntervalTrigger({ hours: 1, startDate: '2030-01-01 09:00', timezone: 'America/New_York' }).startDate.toISOString()).toBe('2030-01-01T14:00:00.000Z');
  });

  it('jitter moves a fire time within [0, jitter] seconds, never the grid', () => {
    const trigger = new IntervalTrigger({ minutes: 1, startDate: '2030-01-01T00:00:00Z', jitter: 10 });
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const first = trigger.getNextFireTime(null, new Date('2029-01-01T00:00:00Z'));
    expect(first?.toISOString()).toBe('2030-01-01T00:00:09.000Z');
    expect(trigger.getNextFireTime(first, first as Date)?.toISOString()).toBe('2030-01-01T00:01:09.000Z');
    vi.restoreAllMocks();
    let previous: Date | null = null;
    for (let k = 0; k < 200; k++) {
      const next: Date = trigger.getNextFireTime(previous, new Date('2029-01-01T00:00:00Z')) as Date;
      const offset = next.getTime() - Date.parse('2030-01-01T00:00:00Z') - k * 60_000;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(10_000);
      previous = next;
    }
  });

  it('jitter never pushes a fire time past endDate: a delayed time past it ends the schedule (APScheduler 3.11)', () => {
    // Every 10 s from 00:00, endDate 00:00:10, jitter 5 s, asked at 00:00:05: the grid point is 00:00:10.
    const trigger = new IntervalTrigger({ seconds: 10, startDate: '2030-01-01T00:00:00Z', endDate: '2030-01-01T00:00:10Z', jitter: 5, timezone: 'UTC' });
    const now = new Date('2030-01-01T00:00:05Z');
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(trigger.getNextFireTime(null, now)).toBeNull();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(trigger.getNextFireTime(null, now)?.toISOString()).toBe('2030-01-01T00:00:10.000Z');
  });

  it('jitter never pushes a fire time past 9999-12-31', () => {
    const trigger = new IntervalTrigger({ days: 1, startDate: new Date(MAX_TIME), jitter: 60, timezone: 'UTC' });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(trigger.getNextFireTime(null, new Date(MAX_TIME - 1000))?.getTime()).toBe(MAX_TIME);
  });

  it('toString reads like Python timedelta', () => {
    expect(String(new IntervalTrigger({ minutes: 5, startDate: new Date(0) }))).toBe('interval[0:05:00]');
    expect(String(new IntervalTrigger({ days: 2, hours: 3, startDate: new Date(0) }))).toBe('interval[2 days, 3:00:00]');
    expect(String(new IntervalTrigger({ days: 1, seconds: 0.5, startDate: new Date(0) }))).toBe('interval[1 day, 0:00:00.500000]');
  });

  it('refuses a zero or negative interval, bad numbers, a bad end and unknown options', () => {
    expectInvalid(() => new IntervalTrigger({}), 'interval', /more than 0 seconds/);
    expectInvalid(() => new IntervalTrigger({ minutes: 0, seconds: 0 }), 'interval');
    expectInvalid(() => new IntervalTrigger({ seconds: 0.0001 }), 'interval');
    expectInvalid(() => new IntervalTrigger({ minutes: -1 }), 'minutes', /0 or more/);
    expectInvalid(() => new IntervalTrigger({ hours: Number.NaN }), 'hours');
    expectInvalid(() => new IntervalTrigger({ hours: '1' as never }), 'hours');
    expectInvalid(() => new IntervalTrigger({ weeks: 1e9 }), 'interval', /longer/);
    expectInvalid(() => new IntervalTrigger({ weeks: 418_000 }), 'startDate', /after 9999/);
    expectInvalid(() => new IntervalTrigger({ hours: 1, startDate: '2030-01-02T00:00:00Z', endDate: '2030-01-01T00:00:00Z' }), 'endDate', /before startDate/);
    expectInvalid(() => new IntervalTrigger({ hours: 1, jitter: -5 }), 'jitter');
    expectInvalid(() => new IntervalTrigger({ minute: 1 } as never), 'minute', /not an option/);
  });
});

describe('CalendarIntervalTrigger (APScheduler 4)', () => {
  it('fires at the same wall time every N months, skipping dates that do not exist', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2030-01-31', timezone: 'UTC' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 5)).toStrictEqual(['2030-01-31T09:00:00Z', '2030-03-31T09:00:00Z', '2030-05-31T09:00:00Z', '2030-07-31T09:00:00Z', '2030-08-31T09:00:00Z']);
  });

  it('adds months first (keeping the day), then days, each from the date before, as APScheduler 4 does', () => {
    // Jan 31 + 1 month: Feb 31 does not exist, so Mar 31; + 1 day = Apr 1; then May 1 + 1 day = May 2 ...
    const trigger = new CalendarIntervalTrigger({ months: 1, days: 1, startDate: '2030-01-31', timezone: 'UTC' });
    expect(fires(trigger, '2029-01-01T00:00:00Z', 4)).toStrictEqual(['2030-01-31T00:00:00Z', '2030-04-01T00:00:00Z', '2030-05-02T00:00:00Z', '2030-06-03T00:00:00Z']);
    expect(fires(trigger, '2030-04-15T00:00:00Z', 2)).toStrictEqual(['2030-05-02T00:00:00Z', '2030-06-03T00:00:00Z']);
  });

  it('every 2 weeks, every year on a leap day, years and months together', () => {
    expect(fires(new CalendarIntervalTrigger({ weeks: 2, startDate: '2030-01-07', hour: 8, minute: 30, timezone: 'UTC' }), '2030-01-08T00:00:00Z', 2)).toStrictEqual([
      '2030-01-21T08:30:00Z',
      '2030-02-04T08:30:00Z',
    ]);
    expect(fires(new CalendarIntervalTrigger({ years: 1, startDate: '2032-02-29', timezone: 'UTC' }), '2030-01-01T00:00:00Z', 3)).toStrictEqual([
      '2032-02-29T00:00:00Z',
      '2036-02-29T00:00:00Z',
      '2040-02-29T00:00:00Z',
    ]);
    expect(fires(new CalendarIntervalTrigger({ years: 1, startDate: '2096-02-29', timezone: 'UTC' }), '2097-01-01T00:00:00Z', 1)).toStrictEqual(['2104-02-29T00:00:00Z']);
    expect(fires(new CalendarIntervalTrigger({ years: 1, months: 6, second: 5, startDate: '2030-08-31', timezone: 'UTC' }), '2030-01-01T00:00:00Z', 3)).toStrictEqual([
      '2030-08-31T00:00:05Z',
      '2033-08-31T00:00:05Z',
      '2036-08-31T00:00:05Z',
    ]);
  });

  it('fires on startDate first, and stops after endDate (inclusive)', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 23, startDate: '2030-01-01', endDate: '2030-01-03', timezone: 'UTC' });
    expect(fires(trigger, '2029-01-01T00:00:00Z', 9)).toStrictEqual(['2030-01-01T23:00:00Z', '2030-01-02T23:00:00Z', '2030-01-03T23:00:00Z']);
  });

  it('a previous fire time off the schedule leads to the next scheduled time, the same day if it is later', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2030-01-01', timezone: 'UTC' });
    const previous = new Date('2030-01-05T08:00:00Z');
    expect(trigger.getNextFireTime(previous, previous)?.toISOString()).toBe('2030-01-05T09:00:00.000Z');
  });

  it('finds the next date far from the start without walking every step', { timeout: 5000 }, () => {
    expect(new CalendarIntervalTrigger({ days: 1, startDate: '1970-01-01', hour: 12, timezone: 'UTC' }).getNextFireTime(null, new Date('9000-06-15T13:00:00Z'))?.toISOString()).toBe(
      '9000-06-16T12:00:00.000Z',
    );
    expect(new CalendarIntervalTrigger({ months: 1, startDate: '1970-01-31', timezone: 'UTC' }).getNextFireTime(null, new Date('9000-02-15T00:00:00Z'))?.toISOString()).toBe(
      '9000-03-31T00:00:00.000Z',
    );
    // Months and days together are walked from the start date: 8,000 years of steps still take no time.
    const walked = new CalendarIntervalTrigger({ months: 1, days: 1, startDate: '1970-01-01', timezone: 'UTC' }).getNextFireTime(null, new Date('9999-01-01T00:00:00Z'));
    expect(walked?.getTime()).toBeGreaterThanOrEqual(Date.parse('9999-01-01T00:00:00Z'));
    expect(walked?.getTime()).toBeLessThan(Date.parse('9999-03-01T00:00:00Z'));
    expect(new CalendarIntervalTrigger({ years: 9999, startDate: '2030-01-01', timezone: 'UTC' }).getNextFireTime(null, new Date('2031-01-01T00:00:00Z'))).toBeNull();
  });

  it('startDate defaults to today in its zone, and takes a Date read in its zone', () => {
    const today = DateTime.now().setZone('Pacific/Kiritimati').toISODate();
    expect(new CalendarIntervalTrigger({ days: 1, timezone: 'Pacific/Kiritimati' }).startDate).toBe(today);
    expect(new CalendarIntervalTrigger({ days: 1, startDate: new Date('2030-01-01T20:00:00Z'), timezone: 'Asia/Tokyo' }).startDate).toBe('2030-01-02');
  });

  it('toString names the interval and the time', () => {
    expect(String(new CalendarIntervalTrigger({ months: 1, weeks: 2, hour: 9, startDate: '2030-01-01' }))).toBe('calendarInterval[months=1, weeks=2, time=09:00:00]');
  });

  it('refuses no interval, bad numbers, bad dates and unknown options', () => {
    expectInvalid(() => new CalendarIntervalTrigger({}), 'interval', /at least 1 day/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, hour: 24 }), 'hour', /0 to 23/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, minute: -1 }), 'minute');
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1.5 }), 'days', /integer/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, startDate: '2030-02-30' }), 'startDate', /YYYY-MM-DD/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, startDate: '2030-01-01T00:00:00Z' }), 'startDate');
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, startDate: '1969-12-31' }), 'startDate', /outside/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, startDate: '2030-01-02', endDate: '2030-01-01' }), 'endDate', /before startDate/);
    expectInvalid(() => new CalendarIntervalTrigger({ days: 1, jitter: 5 } as never), 'jitter', /not an option/);
  });

  it('refuses a Date start or end that falls outside 1970-01-01 .. 9999-12-31 in its zone, though the instant is in range', () => {
    const start = expectInvalid(() => new CalendarIntervalTrigger({ days: 1, startDate: new Date(0), timezone: 'America/St_Johns' }), 'startDate');
    expect(start.message).toBe('calendarInterval trigger: invalid startDate 1970-01-01T00:00:00.000Z: falls on 1969-12-31 in America/St_Johns, outside 1970-01-01 .. 9999-12-31');
    const end = expectInvalid(() => new CalendarIntervalTrigger({ days: 1, endDate: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), timezone: 'Pacific/Chatham' }), 'endDate');
    expect(end.message).toMatch(/falls on 10000-01-01 in Pacific\/Chatham, outside 1970-01-01 \.\. 9999-12-31$/);
    // The same instants where the zone's date is in range are taken.
    expect(new CalendarIntervalTrigger({ days: 1, startDate: new Date(0), timezone: 'Asia/Tokyo' }).startDate).toBe('1970-01-01');
    expect(new CalendarIntervalTrigger({ days: 1, endDate: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), timezone: 'America/St_Johns' }).endDate).toBe('9999-12-31');
  });

  it('every calendarInterval trigger built from Date bounds round-trips through its JSON, or is refused at construction', () => {
    const zones = ['UTC', 'America/St_Johns', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'Europe/Berlin'];
    const edge = fc.oneof(fc.integer({ min: 0, max: 2 * 86_400_000 }), fc.integer({ min: MAX_TIME - 2 * 86_400_000, max: MAX_TIME }), fc.integer({ min: 0, max: MAX_TIME }));
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.option(edge), fc.option(edge), (timezone, start, end) => {
        const options = { days: 1, timezone, ...(start === null ? {} : { startDate: new Date(start) }), ...(end === null ? {} : { endDate: new Date(end) }) };
        let trigger: CalendarIntervalTrigger;
        try {
          trigger = new CalendarIntervalTrigger(options);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTriggerError);
          refused++;
          return;
        }
        const text = JSON.stringify(trigger.toJSON());
        expect(JSON.stringify(triggerFromJSON(JSON.parse(text)).toJSON()), text).toBe(text);
      }),
      { numRuns: 2000 },
    );
    // The edges were hit: some zones put them outside the range.
    expect(refused).toBeGreaterThan(0);
  });
});

describe('AndTrigger and OrTrigger', () => {
  it('OrTrigger fires whenever any of its triggers does, once for times they share', () => {
    const trigger = new OrTrigger([
      new CronTrigger({ hour: 9, minute: 0, timezone: 'UTC' }),
      new CronTrigger({ hour: '9,17', minute: 30, timezone: 'UTC' }),
      new DateTrigger({ runDate: '2030-01-01T12:00:00Z', timezone: 'UTC' }),
      new CronTrigger({ hour: 9, timezone: 'UTC' }),
    ]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 5)).toStrictEqual(['2030-01-01T09:00:00Z', '2030-01-01T09:30:00Z', '2030-01-01T12:00:00Z', '2030-01-01T17:30:00Z', '2030-01-02T09:00:00Z']);
  });

  it('OrTrigger: an interval inside keeps its own grid', () => {
    const trigger = new OrTrigger([new IntervalTrigger({ hours: 1, startDate: '2030-01-01T00:00:00Z' }), new CronTrigger({ minute: 20 })]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 4)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:20:00Z', '2030-01-01T01:00:00Z', '2030-01-01T01:20:00Z']);
  });

  it('OrTrigger is done when all its triggers are', () => {
    const trigger = new OrTrigger([new DateTrigger({ runDate: '2030-01-01T00:00:00Z' }), new DateTrigger({ runDate: '2030-01-02T00:00:00Z' })]);
    expect(fires(trigger, '2029-01-01T00:00:00Z', 5)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z']);
  });

  it('AndTrigger fires when all agree: weekdays at 09:00 that are also the 1st', () => {
    const trigger = new AndTrigger([new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9, timezone: 'UTC' }), new CronTrigger({ day: 1, hour: 9, timezone: 'UTC' })]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 4)).toStrictEqual(['2030-01-01T09:00:00Z', '2030-02-01T09:00:00Z', '2030-03-01T09:00:00Z', '2030-04-01T09:00:00Z']);
  });

  it('AndTrigger: times within the threshold agree, and it fires at the latest of them', () => {
    const trigger = new AndTrigger([new CronTrigger({ second: 0 }), new CronTrigger({ minute: '*/5', second: 1 })], { threshold: 1 });
    expect(fires(trigger, '2030-01-01T00:00:30Z', 3)).toStrictEqual(['2030-01-01T00:05:01Z', '2030-01-01T00:10:01Z', '2030-01-01T00:15:01Z']);
    const strict = new AndTrigger([new CronTrigger({ second: 0 }), new CronTrigger({ minute: '*/5', second: 1 })], { threshold: 0, maxIterations: 100 });
    expect(strict.getNextFireTime(null, new Date('2030-01-01T00:00:30Z'))).toBeNull();
  });

  it('AndTrigger with an interval and a cron: every 2 hours, on weekends (the example from the APScheduler docs)', () => {
    const trigger = new AndTrigger([new IntervalTrigger({ hours: 2, startDate: '2030-01-01T00:00:00Z', timezone: 'UTC' }), new CronTrigger({ dayOfWeek: 'sat,sun', hour: '*', timezone: 'UTC' })], {
      threshold: 0,
    });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-05T00:00:00Z', '2030-01-05T02:00:00Z', '2030-01-05T04:00:00Z']);
  });

  it('AndTrigger gives up (null) when its triggers never agree, or when one is done', () => {
    const never = new AndTrigger([new CronTrigger({ minute: 0 }), new CronTrigger({ minute: 30 })], { threshold: 0, maxIterations: 50 });
    expect(never.getNextFireTime(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    const done = new AndTrigger([new CronTrigger({ minute: 0 }), new DateTrigger({ runDate: '2030-01-01T05:00:00Z' })], { threshold: 0 });
    expect(fires(done, '2030-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T05:00:00Z']);
  });

  it('nests', () => {
    const trigger = new OrTrigger([
      new AndTrigger([new CronTrigger({ dayOfWeek: 'mon', hour: 9, timezone: 'UTC' }), new CronTrigger({ day: '1-7', hour: 9, timezone: 'UTC' })]),
      new DateTrigger({ runDate: '2030-01-03T00:00:00Z', timezone: 'UTC' }),
    ]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-03T00:00:00Z', '2030-01-07T09:00:00Z', '2030-02-04T09:00:00Z']);
    expect(String(trigger)).toBe("or[and[cron[dayOfWeek='mon', hour='9', minute='0', second='0'], cron[day='1-7', hour='9', minute='0', second='0']], date[2030-01-03T00:00:00.000Z]]");
  });

  it('refuses an empty or bad list and bad options', () => {
    expectInvalid(() => new OrTrigger([]), 'triggers');
    expectInvalid(() => new AndTrigger([{} as never]), 'triggers');
    expectInvalid(() => new AndTrigger('cron' as never), 'triggers');
    const cron = new CronTrigger({ hour: 1 });
    expectInvalid(() => new AndTrigger([cron], { threshold: -1 }), 'threshold');
    expectInvalid(() => new AndTrigger([cron], { maxIterations: 0 }), 'maxIterations');
    expectInvalid(() => new AndTrigger([cron], { maxIterations: 1.5 }), 'maxIterations');
    expectInvalid(() => new AndTrigger([cron], { jitter: 1 } as never), 'jitter');
  });
});

describe('createTrigger', () => {
  it('makes each trigger type from its options', () => {
    expect(createTrigger('interval', { minutes: 1, startDate: new Date(0) })).toBeInstanceOf(IntervalTrigger);
    expect(createTrigger('cron', { hour: 3, timezone: 'Europe/Berlin' })).toBeInstanceOf(CronTrigger);
    expect(createTrigger('date', { runDate: new Date(), timezone: 'UTC' })).toBeInstanceOf(DateTrigger);
    expect(createTrigger('calendarInterval', { days: 1 })).toBeInstanceOf(CalendarIntervalTrigger);
    expect(createTrigger('cron', { hour: 3 }).toJSON()).toStrictEqual(new CronTrigger({ hour: 3 }).toJSON());
  });

  it('refuses unknown types and option keys, naming them', () => {
    expectInvalid(() => createTrigger('weekly', {}), 'type', /not a trigger type/);
    expectInvalid(() => createTrigger('interval', { minutes: 1, hour: 3 }), 'hour', /not an option of this trigger/);
    expectInvalid(() => createTrigger('cron', { hour: 3, minutes: 1 }), 'minutes');
    expectInvalid(() => createTrigger('date', { runDate: new Date(), jitter: 1 }), 'jitter');
    expect(() => createTrigger('calendarInterval', { days: 1, hours: 1 })).toThrow(InvalidTriggerError);
  });

  it('refuses the names of Object.prototype as a type, a time zone or an option, with InvalidTriggerError', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expectInvalid(() => createTrigger(name, {}), 'type', /not a trigger type/);
      expectInvalid(() => createTrigger('cron', { hour: 3, timezone: name }), 'timezone', /not an IANA time zone/);
      expectInvalid(() => createTrigger('interval', { minutes: 1, [name]: 1 }), name, /not an option/);
    }
    expectInvalid(() => createTrigger('interval', JSON.parse('{"minutes":1,"__proto__":{"days":1}}') as Record<string, unknown>), '__proto__', /not an option/);
  });
});
