import { AndTrigger, CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, InvalidTriggerError, OrTrigger, triggerFromJSON, type Trigger } from '@jobstore/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const triggers: [string, () => Trigger][] = [
  ['date', () => new DateTrigger({ runDate: '2030-01-01T09:00:00', timezone: 'Asia/Tokyo' })],
  ['interval', () => new IntervalTrigger({ hours: 2, seconds: 0.5, startDate: '2030-01-01T00:00:00Z', endDate: '2031-01-01T00:00:00Z', jitter: 5, timezone: 'Europe/Berlin' })],
  ['interval with defaults', () => new IntervalTrigger({ minutes: 1 })],
  ['cron', () => new CronTrigger({ day: 'last fri', hour: '9-17/2', startDate: '2030-01-01T00:00:00Z', endDate: '2040-01-01', timezone: 'America/New_York', jitter: 1 })],
  ['cron with every field', () => new CronTrigger({ year: '2030-2040', month: 'jan-jun', day: '1,15,last', week: '*/2', dayOfWeek: 'mon-fri', hour: 9, minute: '*/15', second: 30 })],
  ['cron with defaults', () => new CronTrigger()],
  ['crontab', () => CronTrigger.fromCrontab('*/5 9 13 * 0', { timezone: 'Pacific/Chatham' })],
  ['crontab macro with start and end', () => CronTrigger.fromCrontab('@weekly', { startDate: '2030-01-01T00:00:00Z', endDate: '2031-01-01T00:00:00Z' })],
  ['calendarInterval', () => new CalendarIntervalTrigger({ months: 3, hour: 6, startDate: '2030-01-31', endDate: '2040-01-01', timezone: 'Australia/Lord_Howe' })],
  ['calendarInterval with defaults', () => new CalendarIntervalTrigger({ weeks: 1 })],
  [
    'and/or, nested',
    () =>
      new OrTrigger([
        new AndTrigger([new CronTrigger({ hour: 9 }), new CronTrigger({ dayOfWeek: 'mon', hour: '*' })], { threshold: 2, maxIterations: 500 }),
        new DateTrigger({ runDate: '2031-01-01T00:00:00Z' }),
        new IntervalTrigger({ days: 3, startDate: '2030-01-02T00:00:00Z' }),
      ]),
  ],
];

describe('trigger JSON', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [name, make] of triggers) {
    it(`${name}: survives JSON text and rebuilds to an equal trigger with the same fire times`, () => {
      vi.spyOn(Math, 'random').mockReturnValue(0.25);
      const trigger = make();
      const json = JSON.parse(JSON.stringify(trigger));
      expect(json).toStrictEqual(trigger.toJSON());
      const rebuilt = triggerFromJSON(json);
      expect(rebuilt.constructor).toBe(trigger.constructor);
      expect(rebuilt.toJSON()).toStrictEqual(trigger.toJSON());
      expect(rebuilt.toString()).toBe(trigger.toString());
      // And again: a rebuilt trigger's JSON rebuilds to itself.
      expect(triggerFromJSON(JSON.parse(JSON.stringify(rebuilt))).toJSON()).toStrictEqual(trigger.toJSON());
      let a: Date | null = null;
      let b: Date | null = null;
      const now = new Date('2030-01-01T00:00:00Z');
      for (let i = 0; i < 6; i++) {
        a = trigger.getNextFireTime(a, now);
        b = rebuilt.getNextFireTime(b, now);
        expect(b).toStrictEqual(a);
      }
    });
  }

  it('the JSON forms are what the stores keep', () => {
    expect(new CronTrigger({ hour: 3, timezone: 'Europe/Berlin' }).toJSON()).toStrictEqual({
      type: 'cron',
      fields: { year: '*', month: '*', day: '*', week: '*', dayOfWeek: '*', hour: '3', minute: '0', second: '0' },
      crontab: false,
      startDate: null,
      endDate: null,
      timezone: 'Europe/Berlin',
      jitter: null,
    });
    expect(new IntervalTrigger({ minutes: 5, startDate: '2030-01-01T00:00:00Z', timezone: 'UTC' }).toJSON()).toStrictEqual({
      type: 'interval',
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 5,
      seconds: 0,
      startDate: '2030-01-01T00:00:00.000Z',
      endDate: null,
      timezone: 'UTC',
      jitter: null,
    });
    expect(new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2030-01-31', timezone: 'UTC' }).toJSON()).toStrictEqual({
      type: 'calendarInterval',
      years: 0,
      months: 1,
      weeks: 0,
      days: 0,
      hour: 9,
      minute: 0,
      second: 0,
      startDate: '2030-01-31',
      endDate: null,
      timezone: 'UTC',
    });
    expect(new AndTrigger([new DateTrigger({ runDate: '2030-01-01T00:00:00Z', timezone: 'UTC' })]).toJSON()).toStrictEqual({
      type: 'and',
      triggers: [{ type: 'date', runDate: '2030-01-01T00:00:00.000Z', timezone: 'UTC' }],
      threshold: 1,
      maxIterations: 10_000,
    });
  });

  const date = { type: 'date', runDate: '2030-01-01T00:00:00.000Z', timezone: 'UTC' };
  const interval = new IntervalTrigger({ minutes: 5, startDate: '2030-01-01T00:00:00Z', timezone: 'UTC' }).toJSON();
  const cron = new CronTrigger({ hour: 3, timezone: 'UTC' }).toJSON();
  const crontab = CronTrigger.fromCrontab('0 9 * * 1-5', { timezone: 'UTC' }).toJSON();
  const calendar = new CalendarIntervalTrigger({ days: 1, startDate: '2030-01-01', timezone: 'UTC' }).toJSON();
  const malformed: [string, unknown, string, RegExp][] = [
    ['null', null, 'trigger', /not a trigger JSON object/],
    ['an array', [date], 'trigger', /not a trigger JSON object/],
    ['a string', 'cron', 'trigger', /not a trigger JSON object/],
    ['an unknown type', { type: 'weekly' }, 'type', /not a trigger type/],
    ['no type', { runDate: date.runDate }, 'type', /not a trigger type/],
    ['an inherited type name', { type: 'toString' }, 'type', /not a trigger type/],
    ['a missing key', { type: 'date', runDate: date.runDate }, 'timezone', /is missing/],
    ['an extra key', { ...date, extra: 1 }, 'extra', /not a field of this trigger type/],
    ['a date that is not a string', { ...date, runDate: 1_900_000_000_000 }, 'runDate', /must be a string/],
    ['a date that does not parse', { ...date, runDate: 'x' }, 'runDate', /ISO 8601/],
    ['an unknown zone', { ...date, timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
    ['interval: a unit that is not a number', { ...interval, minutes: 'five' }, 'minutes', /must be a number/],
    ['interval: no startDate', { ...interval, startDate: null }, 'startDate', /must be a string/],
    ['interval: zero', { ...interval, minutes: 0 }, 'interval', /more than 0/],
    ['interval: negative jitter', { ...interval, jitter: -1 }, 'jitter', /positive/],
    ['interval: endDate before startDate', { ...interval, endDate: '2029-01-01T00:00:00.000Z' }, 'endDate', /before startDate/],
    ['cron: fields not an object', { ...cron, fields: 'hour=3' }, 'fields', /must be an object/],
    ['cron: an unknown field', { ...cron, fields: { ...cron.fields, hours: '4' } }, 'hours', /not a cron field/],
    ['cron: a missing field', { ...cron, fields: { hour: '3' } }, 'year', /must be a string expression/],
    ['cron: a field that is a number', { ...cron, fields: { ...cron.fields, hour: 3 } }, 'hour', /must be a string expression/],
    ['cron: an invalid expression', { ...cron, fields: { ...cron.fields, hour: '99' } }, 'hour', /outside 0-23/],
    ['cron: crontab not a boolean', { ...cron, crontab: 'yes' }, 'crontab', /must be a boolean/],
    ['crontab: a second of its own', { ...crontab, fields: { ...crontab.fields, second: '5' } }, 'second', /does not fit a crontab trigger/],
    ['crontab: a field with a space', { ...crontab, fields: { ...crontab.fields, day: '2nd fri' } }, 'crontab', /needs 5 fields/],
    ['calendarInterval: a fractional day', { ...calendar, days: 1.5 }, 'days', /integer/],
    ['calendarInterval: a date-time for startDate', { ...calendar, startDate: '2030-01-01T00:00:00Z' }, 'startDate', /YYYY-MM-DD/],
    ['or: triggers not an array', { type: 'or', triggers: 'none' }, 'triggers', /must be an array/],
    ['or: no triggers', { type: 'or', triggers: [] }, 'triggers', /non-empty/],
    ['and: a bad child', { type: 'and', triggers: [{ ...date, runDate: 'x' }], threshold: 1, maxIterations: 10 }, 'runDate', /ISO 8601/],
    ['and: a missing threshold', { type: 'and', triggers: [date], maxIterations: 10 }, 'threshold', /is missing/],
    ['and: a negative threshold', { type: 'and', triggers: [date], threshold: -1, maxIterations: 10 }, 'threshold', /0 or more/],
  ];
  for (const [name, json, field, message] of malformed) {
    it(`refuses ${name} with an InvalidTriggerError naming ${field}`, () => {
      let error: unknown;
      try {
        triggerFromJSON(json);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidTriggerError);
      expect((error as InvalidTriggerError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses and/or triggers nested without end', () => {
    let json: unknown = { type: 'date', runDate: '2030-01-01T00:00:00Z', timezone: 'UTC' };
    for (let i = 0; i < 40; i++) json = { type: 'or', triggers: [json] };
    expect(() => triggerFromJSON(json)).toThrow(/nest deeper than 16 levels/);
  });

  it('refuses a type named like a member of Object.prototype, and keys a JSON object only inherits', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      let error: unknown;
      try {
        triggerFromJSON({ type });
      } catch (caught) {
        error = caught;
      }
      expect(error, type).toBeInstanceOf(InvalidTriggerError);
      expect((error as InvalidTriggerError).field).toBe('type');
    }
    const inherited = Object.create({ type: 'date', runDate: '2030-01-01T00:00:00.000Z', timezone: 'UTC' }) as object;
    expect(() => triggerFromJSON(inherited)).toThrow(/invalid type undefined: is not a trigger type/);
    const fields = Object.create({ year: '*' }) as Record<string, string>;
    Object.assign(fields, { month: '*', day: '*', week: '*', dayOfWeek: '*', hour: '*', minute: '*', second: '*' });
    expect(() => triggerFromJSON({ type: 'cron', fields, crontab: false, startDate: null, endDate: null, timezone: 'UTC', jitter: null })).toThrow(/invalid year "\*": must be a string expression/);
  });

  it('does not read inherited or prototype keys', () => {
    const json = JSON.parse('{"type":"date","runDate":"2030-01-01T00:00:00.000Z","timezone":"UTC","__proto__":{"x":1}}');
    expect(() => triggerFromJSON(json)).toThrow(/__proto__/);
  });
});
