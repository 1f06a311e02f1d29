import { CronTrigger, DateTrigger, InvalidArgumentError } from '@jobstore/core';
import {
  JOB_OPTIONS,
  MODIFIABLE_JOB_OPTIONS,
  Scheduler,
  TRIGGER_OPTION_NAMES,
  TRIGGER_OPTIONS,
  type TRIGGER_TYPES,
  triggerFromOptions,
  type AddJobOptions,
  type JobModification,
  type JobOptionName,
  type ModifiableJobOptionName,
  type TriggerOptionName,
  type TriggerType,
} from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, makeScheduler } from './support.js';

afterEach(cleanup);

// The specification and the option types are one list: an option added to either alone fails to compile here.
type Both<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : { onlyInFirst: Exclude<A, B>; onlyInSecond: Exclude<B, A> };
const addJobOptions: Both<keyof AddJobOptions, JobOptionName | TriggerOptionName> = true;
const modifications: Both<keyof JobModification, ModifiableJobOptionName> = true;
const triggerTypes: Both<TriggerType, (typeof TRIGGER_TYPES)[number]> = true;

describe('the job specification', () => {
  it('lists every option addJob and modifyJob take, each trigger type with its own', () => {
    expect([addJobOptions, modifications, triggerTypes]).toEqual([true, true, true]);
    expect(new Set(TRIGGER_OPTION_NAMES)).toEqual(new Set(Object.values(TRIGGER_OPTIONS).flat()));
    expect(TRIGGER_OPTIONS.date).toEqual(['runDate', 'timezone']);
    expect(MODIFIABLE_JOB_OPTIONS.every((option) => (JOB_OPTIONS as readonly string[]).includes(option))).toBe(true);
  });

  it('addJob takes each option of the specification and refuses any other', async () => {
    const { scheduler } = makeScheduler();
    scheduler.registerTask('t', () => undefined);
    await expect(scheduler.addJob({ func: 't', trigger: 'cron', dayOfWeek: 'mon', second: 0, jitter: null, timezone: 'UTC' })).resolves.toBeDefined();
    await expect(scheduler.addJob({ func: 't', cron: '* * * * *' } as unknown as AddJobOptions)).rejects.toThrow('addJob: unknown option "cron"');
  });

  it("makeTrigger makes a trigger as addJob does: the scheduler's zone unless the options name one, and its clock's now for a date trigger", () => {
    const now = new Date('2031-05-05T10:00:00Z');
    const scheduler = new Scheduler({ timezone: 'Asia/Tokyo', clock: () => now });
    expect(scheduler.now()).toBe(now);
    const cron = scheduler.makeTrigger('cron', { hour: 9 });
    expect(cron).toBeInstanceOf(CronTrigger);
    expect(cron.getNextFireTime(null, scheduler.now())).toEqual(new Date('2031-05-06T00:00:00Z'));
    expect(scheduler.makeTrigger('cron', { hour: 9, timezone: 'UTC' }).getNextFireTime(null, now)).toEqual(new Date('2031-05-06T09:00:00Z'));
    const date = scheduler.makeTrigger('date');
    expect(date).toBeInstanceOf(DateTrigger);
    expect(date.getNextFireTime(null, now)).toEqual(now);
    expect(() => scheduler.makeTrigger('cron', { minute: 75 })).toThrow(/75 is outside 0-59/);
  });

  it("an interval or calendar interval given no start counts from the scheduler's clock, not the wall clock", () => {
    const now = new Date('2031-05-05T10:00:00Z');
    const scheduler = new Scheduler({ timezone: 'Asia/Tokyo', clock: () => now });
    // APScheduler: an interval starts at now + the interval; a calendar interval on now's day (in its zone).
    expect(scheduler.makeTrigger('interval', { minutes: 90 }).getNextFireTime(null, now)).toEqual(new Date('2031-05-05T11:30:00Z'));
    const daily = scheduler.makeTrigger('calendarInterval', { days: 1, hour: 20 });
    expect(daily.toJSON()).toMatchObject({ startDate: '2031-05-05' });
    expect(daily.getNextFireTime(null, now)).toEqual(new Date('2031-05-05T11:00:00Z'));
    // A start that is given stays as given.
    expect(scheduler.makeTrigger('interval', { minutes: 90, startDate: '2031-05-05T10:15:00Z' }).getNextFireTime(null, now)).toEqual(new Date('2031-05-05T10:15:00Z'));
  });

  it('triggerFromOptions leaves job options out, and takes a zone only when given one', () => {
    const trigger = triggerFromOptions('interval', { minutes: 5, func: 't', coalesce: true }, { timezone: 'Europe/Berlin' });
    expect(trigger.toJSON()).toMatchObject({ type: 'interval', timezone: 'Europe/Berlin' });
    expect(() => triggerFromOptions('weekly', {})).toThrow(/is not a trigger type/);
    expect(() => new Scheduler({ jobDefaults: { maxInstances: 0 } })).toThrow(InvalidArgumentError);
  });
});
