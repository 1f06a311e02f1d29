import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AndTrigger, CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, InvalidTriggerError, OrTrigger, createTrigger, triggerFromJSON, type Trigger } from '@jobstore/core';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fires } from './fires.js';

// Node resets its zone (Date's and Intl's) whenever process.env.TZ is assigned (checked below, and
// in a child process as well); each test puts back the zone the run started with.
const original = process.env['TZ'];
function setZone(zone: string | undefined): void {
  if (zone === undefined) delete process.env['TZ'];
  else process.env['TZ'] = zone;
}

describe('the default time zone is the process local zone', () => {
  beforeEach(() => setZone('America/New_York'));
  afterEach(() => setZone(original));

  it('a trigger made without timezone uses the local zone (TZ=America/New_York), for every trigger type and createTrigger', () => {
    expect(new Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('America/New_York');
    const made: Trigger[] = [
      new DateTrigger({ runDate: '2030-01-01 09:00' }),
      new IntervalTrigger({ hours: 1 }),
      new CronTrigger({ hour: 9 }),
      CronTrigger.fromCrontab('0 9 * * *'),
      new CalendarIntervalTrigger({ days: 1 }),
      createTrigger('cron', { hour: 9 }),
      createTrigger('date', {}),
    ];
    for (const trigger of made) expect((trigger.toJSON() as { timezone: string }).timezone, String(trigger)).toBe('America/New_York');
    expect(new CronTrigger({ hour: 9 }).timezone).toBe('America/New_York');
    // 09:00 in New York, in winter: 14:00Z.
    expect(fires(new CronTrigger({ hour: 9 }), '2030-01-01T00:00:00Z', 1)).toStrictEqual(['2030-01-01T14:00:00Z']);
    expect(new DateTrigger({ runDate: '2030-01-01 09:00' }).runDate.toISOString()).toBe('2030-01-01T14:00:00.000Z');
  });

  it('follows TZ as it changes, and falls back to UTC when TZ names no zone', () => {
    setZone('Asia/Tokyo');
    expect(new CronTrigger({ hour: 9 }).timezone).toBe('Asia/Tokyo');
    setZone('Nowhere/Atlantis');
    expect(new CronTrigger({ hour: 9 }).timezone).toBe('UTC');
  });

  it('a child process started with TZ=America/New_York makes cron triggers in New York (the built package)', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `const { CronTrigger } = await import(${JSON.stringify(dist)}); console.log(new CronTrigger({ hour: 9 }).timezone);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
    expect(out.trim()).toBe('America/New_York');
  });
});

describe('withDefaultTimezone', () => {
  beforeEach(() => setZone('UTC'));
  afterEach(() => setZone(original));
  const zone = 'America/New_York';

  it('returns the trigger itself when it was made with a timezone, or rebuilt from JSON', () => {
    const explicit: Trigger[] = [
      new DateTrigger({ runDate: '2030-01-01 09:00', timezone: 'Europe/Berlin' }),
      new IntervalTrigger({ hours: 1, timezone: 'UTC' }),
      new CronTrigger({ hour: 9, timezone: 'UTC' }),
      CronTrigger.fromCrontab('0 9 * * *', { timezone: 'Asia/Tokyo' }),
      new CalendarIntervalTrigger({ days: 1, timezone: 'Europe/Berlin' }),
      new OrTrigger([new CronTrigger({ hour: 9, timezone: 'UTC' })]),
      new AndTrigger([new CronTrigger({ hour: 9, timezone: 'UTC' })]),
    ];
    for (const trigger of explicit) expect(trigger.withDefaultTimezone?.(zone), String(trigger)).toBe(trigger);
    const rebuilt = triggerFromJSON(new CronTrigger({ hour: 9 }).toJSON());
    expect(rebuilt.withDefaultTimezone?.(zone)).toBe(rebuilt);
    // Not even a bad name is looked at then.
    expect(new CronTrigger({ hour: 9, timezone: 'UTC' }).withDefaultTimezone('Nowhere')).toBeInstanceOf(CronTrigger);
  });

  it('makes a trigger without a timezone again in the zone given, with equal options', () => {
    const cron = new CronTrigger({ hour: 9, dayOfWeek: 'mon-fri', startDate: '2030-01-01 00:00', jitter: 5 }).withDefaultTimezone(zone);
    expect(cron.toJSON()).toStrictEqual(new CronTrigger({ hour: 9, dayOfWeek: 'mon-fri', startDate: '2030-01-01 00:00', jitter: 5, timezone: zone }).toJSON());
    // The start string is read again in New York: midnight there is 05:00Z.
    expect(cron.startDate?.toISOString()).toBe('2030-01-01T05:00:00.000Z');
    const calendar = new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2030-01-31' }).withDefaultTimezone(zone);
    expect(fires(calendar, '2030-01-01T00:00:00Z', 2)).toStrictEqual(['2030-01-31T14:00:00Z', '2030-03-31T13:00:00Z']);
    expect(new DateTrigger({ runDate: '2030-07-01 09:00' }).withDefaultTimezone(zone).runDate.toISOString()).toBe('2030-07-01T13:00:00.000Z');
    // The result has a zone of its own now: asked again, it keeps it.
    expect(cron.withDefaultTimezone('Asia/Tokyo')).toBe(cron);
  });

  it('a crontab trigger keeps its crontab meaning', () => {
    const trigger = CronTrigger.fromCrontab('0 9 * * 1-5').withDefaultTimezone(zone);
    expect(trigger.crontab).toBe(true);
    expect(trigger.timezone).toBe(zone);
    // 2030-01-04 is a Friday, 2030-01-07 a Monday: crontab's 1-5 is Monday to Friday.
    expect(fires(trigger, '2030-01-04T00:00:00Z', 2)).toStrictEqual(['2030-01-04T14:00:00Z', '2030-01-07T14:00:00Z']);
  });

  it("keeps an interval trigger's default start (construction + interval) as the same instant, and re-reads date strings", () => {
    const trigger = new IntervalTrigger({ minutes: 10, endDate: '2030-01-01 12:00' });
    const moved = trigger.withDefaultTimezone(zone);
    expect(moved.startDate.getTime()).toBe(trigger.startDate.getTime());
    expect(moved.endDate?.toISOString()).toBe('2030-01-01T17:00:00.000Z');
    expect(new IntervalTrigger({ hours: 1, startDate: '2030-01-01 09:00' }).withDefaultTimezone(zone).startDate.toISOString()).toBe('2030-01-01T14:00:00.000Z');
  });

  it("keeps a date trigger's default runDate (now) as the same instant", () => {
    const trigger = new DateTrigger();
    expect(trigger.withDefaultTimezone(zone).runDate.getTime()).toBe(trigger.runDate.getTime());
  });

  it("makes a calendar-interval trigger's default startDate today in the zone given", () => {
    // 25 hours apart: their dates always differ.
    const trigger = new CalendarIntervalTrigger({ days: 1 });
    expect(trigger.withDefaultTimezone('Pacific/Kiritimati').startDate).toBe(DateTime.now().setZone('Pacific/Kiritimati').toISODate());
    expect(trigger.withDefaultTimezone('Pacific/Pago_Pago').startDate).toBe(DateTime.now().setZone('Pacific/Pago_Pago').toISODate());
  });

  it('AndTrigger and OrTrigger pass it to their triggers: a new combination when one changed, themselves when none did', () => {
    const fixed = new CronTrigger({ hour: 12, timezone: 'UTC' });
    const free = new CronTrigger({ hour: 9 });
    const or = new OrTrigger([fixed, free]);
    const movedOr = or.withDefaultTimezone(zone);
    expect(movedOr).not.toBe(or);
    expect(movedOr.triggers[0]).toBe(fixed);
    expect((movedOr.triggers[1] as CronTrigger).timezone).toBe(zone);
    const and = new AndTrigger([free, new OrTrigger([free])], { threshold: 5, maxIterations: 50 });
    const movedAnd = and.withDefaultTimezone(zone);
    expect(movedAnd.toJSON()).toStrictEqual({ ...and.toJSON(), triggers: [free.withDefaultTimezone(zone).toJSON(), { type: 'or', triggers: [free.withDefaultTimezone(zone).toJSON()] }] });
    expect(movedOr.withDefaultTimezone('Asia/Tokyo')).toBe(movedOr);
    // A trigger of one's own without the method is kept as it is.
    const own: Trigger = { getNextFireTime: () => null, toJSON: () => fixed.toJSON(), toString: () => 'own' };
    const withOwn = new OrTrigger([own]);
    expect(withOwn.withDefaultTimezone(zone)).toBe(withOwn);
  });

  it('refuses a zone that is not an IANA name with InvalidTriggerError, for a trigger that would take it', () => {
    expect(() => new CronTrigger({ hour: 9 }).withDefaultTimezone('Mars/Olympus')).toThrow(InvalidTriggerError);
  });
});
