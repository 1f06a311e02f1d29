import { AndTrigger, CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, InvalidTriggerError, OrTrigger, triggerFromJSON, type Trigger } from '@jobstore/core';
import { describe, expect, it } from 'vitest';

const triggers: [string, Trigger][] = [
  ['date', new DateTrigger({ runDate: '2030-01-01T09:00:00', timezone: 'Asia/Tokyo' })],
  ['interval', new IntervalTrigger({ hours: 2, seconds: 0.5, startDate: '2030-01-01T00:00:00Z', endDate: '2031-01-01T00:00:00Z', jitter: 5, timezone: 'Europe/Berlin' })],
  ['cron', new CronTrigger({ day: 'last fri', hour: '9-17/2', startDate: '2030-01-01T00:00:00Z', timezone: 'America/New_York', jitter: 1 })],
  ['crontab', CronTrigger.fromCrontab('*/5 9 13 * 0', { timezone: 'Pacific/Chatham' })],
  ['calendarInterval', new CalendarIntervalTrigger({ months: 3, hour: 6, startDate: '2030-01-31', endDate: '2040-01-01', timezone: 'Australia/Lord_Howe' })],
  ['and/or', new OrTrigger([new AndTrigger([new CronTrigger({ hour: 9 }), new CronTrigger({ dayOfWeek: 'mon' })], { threshold: 2 }), new DateTrigger({ runDate: '2031-01-01T00:00:00Z' })])],
];

describe('trigger JSON', () => {
  for (const [name, trigger] of triggers) {
    it(`${name}: survives JSON and rebuilds to the same trigger and the same fire times`, () => {
      const json = JSON.parse(JSON.stringify(trigger));
      const rebuilt = triggerFromJSON(json);
      expect(rebuilt.toJSON()).toStrictEqual(trigger.toJSON());
      expect(rebuilt.toString()).toBe(trigger.toString());
      let a: Date | null = null;
      let b: Date | null = null;
      const now = new Date('2030-01-01T00:00:00Z');
      for (let i = 0; i < 5; i++) {
        if (trigger instanceof IntervalTrigger || trigger instanceof CronTrigger) {
          (trigger as { random: () => number }).random = () => 0.25;
          (rebuilt as unknown as { random: () => number }).random = () => 0.25;
        }
        a = trigger.getNextFireTime(a, now);
        b = rebuilt.getNextFireTime(b, now);
        expect(b).toStrictEqual(a);
      }
    });
  }

  const malformed: [unknown, RegExp][] = [
    [null, /not a trigger JSON object/],
    [{ type: 'weekly' }, /not a trigger type/],
    [{ type: 'date' }, /runDate/],
    [{ type: 'date', runDate: '2030-01-01T00:00:00Z', extra: 1 }, /extra/],
    [{ type: 'cron', fields: 'hour=3' }, /fields/],
    [{ type: 'cron', fields: { hour: '3', hours: '4' } }, /hours/],
    [{ type: 'cron', fields: { hour: '99' } }, /hour/],
    [{ type: 'interval', minutes: 'five', startDate: '2030-01-01T00:00:00Z' }, /minutes/],
    [{ type: 'or', triggers: 'none' }, /triggers/],
    [{ type: 'and', triggers: [{ type: 'date', runDate: 'x' }] }, /runDate/],
  ];
  for (const [json, message] of malformed) {
    it(`refuses ${JSON.stringify(json)} with InvalidTriggerError`, () => {
      expect(() => triggerFromJSON(json)).toThrow(InvalidTriggerError);
      expect(() => triggerFromJSON(json)).toThrow(message);
    });
  }

  it('refuses or-triggers nested without end', () => {
    let json: unknown = { type: 'date', runDate: '2030-01-01T00:00:00Z', timezone: 'UTC' };
    for (let i = 0; i < 40; i++) json = { type: 'or', triggers: [json] };
    expect(() => triggerFromJSON(json)).toThrow(/nests deeper/);
  });
});
