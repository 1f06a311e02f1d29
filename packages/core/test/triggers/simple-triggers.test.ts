import { AndTrigger, CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, InvalidTriggerError, OrTrigger, createTrigger } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { fires } from './fires.js';

describe('DateTrigger', () => {
  it('fires once at runDate, however late it is asked', () => {
    const trigger = new DateTrigger({ runDate: '2030-01-01T09:00:00Z' });
    expect(fires(trigger, '2029-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T09:00:00Z']);
    expect(fires(trigger, '2031-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T09:00:00Z']);
  });

  it('reads a string without an offset as a wall time in its zone', () => {
    expect(new DateTrigger({ runDate: '2030-07-01 09:00', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-07-01T07:00:00.000Z');
    expect(new DateTrigger({ runDate: '2030-07-01T09:00:00+05:30', timezone: 'Europe/Berlin' }).runDate.toISOString()).toBe('2030-07-01T03:30:00.000Z');
  });

  it('refuses a bad date or zone', () => {
    expect(() => new DateTrigger({ runDate: 'soon' })).toThrow(InvalidTriggerError);
    expect(() => new DateTrigger({ runDate: new Date(Number.NaN) })).toThrow(/invalid Date/);
    expect(() => new DateTrigger({ runDate: new Date(), timezone: 'Nowhere' })).toThrow(/timezone/);
  });
});

describe('IntervalTrigger', () => {
  it('fires on the grid from startDate: first at startDate, then every interval', () => {
    const trigger = new IntervalTrigger({ minutes: 15, startDate: '2030-01-01T00:00:00Z' });
    expect(fires(trigger, '2029-12-31T00:00:00Z', 3)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:15:00Z', '2030-01-01T00:30:00Z']);
    expect(fires(trigger, '2030-01-01T00:20:00Z', 2)).toStrictEqual(['2030-01-01T00:30:00Z', '2030-01-01T00:45:00Z']);
  });

  it('adds every unit, and takes fractions of seconds', () => {
    expect(new IntervalTrigger({ weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1.5, startDate: new Date(0) }).interval).toBe(604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1500);
  });

  it('stops after endDate and starts now + interval by default', () => {
    const trigger = new IntervalTrigger({ hours: 1, startDate: '2030-01-01T00:00:00Z', endDate: '2030-01-01T02:00:00Z' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 10)).toStrictEqual(['2030-01-01T00:00:00Z', '2030-01-01T01:00:00Z', '2030-01-01T02:00:00Z']);
    const before = Date.now();
    expect(new IntervalTrigger({ seconds: 30 }).startDate.getTime()).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('jitter moves a fire time, never the grid', () => {
    const trigger = new IntervalTrigger({ minutes: 1, startDate: '2030-01-01T00:00:00Z', jitter: 10 });
    trigger.random = () => 0.9;
    const first = trigger.getNextFireTime(null, new Date('2029-01-01T00:00:00Z'));
    expect(first?.toISOString()).toBe('2030-01-01T00:00:09.000Z');
    expect(trigger.getNextFireTime(first, first as Date)?.toISOString()).toBe('2030-01-01T00:01:09.000Z');
  });

  it('refuses a zero or negative interval, a bad end and unknown options', () => {
    expect(() => new IntervalTrigger({})).toThrow(/at least 1 ms/);
    expect(() => new IntervalTrigger({ minutes: -1 })).toThrow(/minutes/);
    expect(() => new IntervalTrigger({ hours: 1, startDate: '2030-01-02T00:00:00Z', endDate: '2030-01-01T00:00:00Z' })).toThrow(/before startDate/);
    expect(() => new IntervalTrigger({ minute: 1 } as never)).toThrow(/unknown option/);
  });
});

describe('CalendarIntervalTrigger', () => {
  it('fires at the same wall time every N months, skipping dates that do not exist', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2030-01-31' });
    expect(fires(trigger, '2030-01-01T00:00:00Z', 4)).toStrictEqual(['2030-01-31T09:00:00Z', '2030-03-31T09:00:00Z', '2030-05-31T09:00:00Z', '2030-07-31T09:00:00Z']);
  });

  it('every 2 weeks, every year on a leap day, and with an end date', () => {
    expect(fires(new CalendarIntervalTrigger({ weeks: 2, startDate: '2030-01-07', hour: 8, minute: 30 }), '2030-01-08T00:00:00Z', 2)).toStrictEqual(['2030-01-21T08:30:00Z', '2030-02-04T08:30:00Z']);
    expect(fires(new CalendarIntervalTrigger({ years: 1, startDate: '2032-02-29' }), '2030-01-01T00:00:00Z', 2)).toStrictEqual(['2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']);
    expect(fires(new CalendarIntervalTrigger({ days: 1, startDate: '2030-01-01', endDate: '2030-01-03' }), '2029-01-01T00:00:00Z', 9)).toHaveLength(3);
  });

  it('finds the next date far from the start without walking every step', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, startDate: '1970-01-01', hour: 12 });
    expect(trigger.getNextFireTime(null, new Date('2030-06-15T13:00:00Z'))?.toISOString()).toBe('2030-06-16T12:00:00.000Z');
  });

  it('refuses no interval, bad times and bad dates', () => {
    expect(() => new CalendarIntervalTrigger({})).toThrow(/give years, months, weeks or days/);
    expect(() => new CalendarIntervalTrigger({ days: 1, hour: 24 })).toThrow(/hour/);
    expect(() => new CalendarIntervalTrigger({ days: 1, startDate: '2030-02-30' })).toThrow(/startDate/);
    expect(() => new CalendarIntervalTrigger({ days: 1.5 })).toThrow(/days/);
  });
});

describe('AndTrigger and OrTrigger', () => {
  it('OrTrigger fires whenever any of its triggers does', () => {
    const trigger = new OrTrigger([new CronTrigger({ hour: 9, minute: 0 }), new CronTrigger({ hour: 17, minute: 30 }), new DateTrigger({ runDate: '2030-01-01T12:00:00Z' })]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 4)).toStrictEqual(['2030-01-01T09:00:00Z', '2030-01-01T12:00:00Z', '2030-01-01T17:30:00Z', '2030-01-02T09:00:00Z']);
  });

  it('AndTrigger fires when all agree within the threshold: weekdays at 09:00 that are also the 1st', () => {
    const trigger = new AndTrigger([new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9 }), new CronTrigger({ day: 1, hour: 9 })]);
    expect(fires(trigger, '2030-01-01T00:00:00Z', 3)).toStrictEqual(['2030-01-01T09:00:00Z', '2030-02-01T09:00:00Z', '2030-03-01T09:00:00Z']);
  });

  it('AndTrigger gives up (null) when its triggers never agree', () => {
    const trigger = new AndTrigger([new CronTrigger({ minute: 0 }), new CronTrigger({ minute: 30 })], { threshold: 0, maxIterations: 50 });
    expect(trigger.getNextFireTime(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('refuses an empty list', () => {
    expect(() => new OrTrigger([])).toThrow(InvalidTriggerError);
    expect(() => new AndTrigger([{} as never])).toThrow(/triggers/);
  });
});

describe('createTrigger', () => {
  it('makes each trigger type from its options, and refuses unknown types and keys', () => {
    expect(createTrigger('interval', { minutes: 1, startDate: new Date(0) })).toBeInstanceOf(IntervalTrigger);
    expect(createTrigger('cron', { hour: 3 })).toBeInstanceOf(CronTrigger);
    expect(createTrigger('date', { runDate: new Date() })).toBeInstanceOf(DateTrigger);
    expect(createTrigger('calendarInterval', { days: 1 })).toBeInstanceOf(CalendarIntervalTrigger);
    expect(() => createTrigger('weekly', {})).toThrow(/not a trigger type/);
    expect(() => createTrigger('interval', { minutes: 1, hour: 3 })).toThrow(/unknown option/);
  });
});
