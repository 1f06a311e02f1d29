import { CronTrigger, DateTrigger, IntervalTrigger } from '@jobstore/core';
import { Job, SchedulerNotRunningError, SchedulerStateError } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, makeScheduler, ofType, until } from './support.js';

afterEach(cleanup);

const FIXED = new Date('2030-01-01T00:00:00Z');

describe("APScheduler's Job methods", () => {
  it('modify, reschedule, pause, resume and remove act on the job and resolve with it as stored', async () => {
    const { scheduler, events } = makeScheduler({ clock: () => FIXED });
    scheduler.registerTask('noop', () => undefined);
    const job = await scheduler.addJob({ id: 'j', func: 'noop', trigger: 'interval', minutes: 5 });
    expect(job).toBeInstanceOf(Job);

    const renamed = await job.modify({ name: 'renamed', maxInstances: 2 });
    expect([renamed.name, renamed.maxInstances, (await scheduler.getJob('j'))?.name]).toStrictEqual(['renamed', 2, 'renamed']);

    const rescheduled = await renamed.reschedule('cron', { hour: 4 });
    expect(rescheduled.trigger).toBeInstanceOf(CronTrigger);
    expect(rescheduled.nextRunTime).toStrictEqual(new Date('2030-01-01T04:00:00Z'));

    const paused = await rescheduled.pause();
    expect(paused.nextRunTime).toBeNull();
    const resumed = await paused.resume();
    expect(resumed?.nextRunTime).toStrictEqual(new Date('2030-01-01T04:00:00Z'));

    await job.remove();
    expect(await scheduler.getJob('j')).toBeNull();
    expect(ofType(events, 'job_modified')).toHaveLength(4);
    expect(ofType(events, 'job_removed').map((event) => event.jobId)).toStrictEqual(['j']);
  });

  it('a Job from getJobs acts on its own store; resume of a job whose trigger is done removes it and resolves null', async () => {
    const { scheduler } = makeScheduler({ clock: () => FIXED });
    scheduler.registerTask('noop', () => undefined);
    await scheduler.addJob({ id: 'once', func: 'noop', trigger: 'interval', minutes: 1, startDate: '2029-12-31T00:00:00Z', endDate: '2029-12-31T01:00:00Z', nextRunTime: null });
    const [job] = await scheduler.getJobs();
    expect(await job?.resume()).toBeNull();
    expect(await scheduler.getJob('once')).toBeNull();
  });

  it('a Job is a snapshot: its fields do not change under it, and the methods say when it came from no scheduler', async () => {
    const { scheduler } = makeScheduler({ clock: () => FIXED });
    scheduler.registerTask('noop', () => undefined);
    const job = await scheduler.addJob({ id: 'j', func: 'noop', trigger: 'interval', minutes: 5 });
    await job.modify({ name: 'other' });
    expect(job.name).toBe('noop');
    const { id, name, task, trigger, args, kwargs, executor, jobstore, misfireGraceTime, coalesce, maxInstances, nextRunTime, version } = job;
    const detached = new Job({ id, name, task, trigger, args, kwargs, executor, jobstore, misfireGraceTime, coalesce, maxInstances, nextRunTime, version });
    expect(() => detached.pause()).toThrow(/not given out by a scheduler/);
    expect(Object.keys(job)).not.toContain('origin');
  });
});

describe('scheduler state, as APScheduler has it', () => {
  it('shutdown before start rejects with SchedulerNotRunningError (still closing the stores), and so do pause and resume', async () => {
    const { scheduler, store } = makeScheduler();
    expect(() => scheduler.pause()).toThrow(SchedulerNotRunningError);
    expect(() => scheduler.resume()).toThrow(SchedulerNotRunningError);
    const refused = await scheduler.shutdown().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SchedulerNotRunningError);
    expect(refused).toBeInstanceOf(SchedulerStateError);
    expect(String(refused)).toMatch(/shutdown: the scheduler is not running/);
    expect(scheduler.state).toBe('shut down');
    await expect(store.lookupJob('x')).rejects.toThrow(/closed/);
  });

  it('a scheduler that was shut down starts again, and shutdown after a start is still quiet when called twice', async () => {
    const { scheduler, events } = makeScheduler({ jobstores: { default: { type: 'memory' } } });
    await scheduler.start();
    await scheduler.shutdown();
    await scheduler.shutdown();
    await scheduler.start();
    expect(scheduler.state).toBe('running');
    expect(ofType(events, 'scheduler_started')).toHaveLength(2);
  });
});

describe('time zones of triggers given to the scheduler', () => {
  it("a trigger made without a time zone takes the scheduler's; one made with a zone keeps it", async () => {
    const { scheduler } = makeScheduler({ timezone: 'America/New_York', clock: () => FIXED });
    scheduler.registerTask('noop', () => undefined);
    const local = await scheduler.addJob({ id: 'local', func: 'noop', trigger: new CronTrigger({ hour: 9 }) });
    expect(local.trigger.toJSON()).toMatchObject({ timezone: 'America/New_York' });
    expect(local.nextRunTime).toStrictEqual(new Date('2030-01-01T14:00:00Z'));
    const tokyo = await scheduler.addJob({ id: 'tokyo', func: 'noop', trigger: new CronTrigger({ hour: 9, timezone: 'Asia/Tokyo' }) });
    expect(tokyo.nextRunTime).toStrictEqual(new Date('2030-01-01T00:00:00Z'));
    const modified = await scheduler.modifyJob('tokyo', { trigger: new CronTrigger({ hour: 10 }) });
    expect(modified.trigger.toJSON()).toMatchObject({ timezone: 'America/New_York' });
    const rescheduled = await scheduler.rescheduleJob('local', new IntervalTrigger({ hours: 1, startDate: '2030-01-01 00:00' }));
    // A start date without an offset is read in the scheduler's zone: midnight in New York.
    expect(rescheduled.nextRunTime).toStrictEqual(new Date('2030-01-01T05:00:00Z'));
  });

  it('a DateTrigger without runDate fires now', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    const before = Date.now();
    await scheduler.addJob({ id: 'now', func: 'noop', trigger: new DateTrigger() });
    await until(() => ofType(events, 'job_executed').length === 1);
    expect(ofType(events, 'job_executed')[0]?.scheduledRunTime.getTime()).toBeGreaterThanOrEqual(before - 5);
  });
});
