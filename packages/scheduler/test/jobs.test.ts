import { ConflictingIdError, InvalidArgumentError, JobLookupError, type Trigger } from '@jobstore/core';
import { CronTrigger, IntervalTrigger } from '@jobstore/core';
import { EVENT_JOB_ADDED, MaxInstancesReachedError, Scheduler } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, makeScheduler, ofType } from './support.js';

afterEach(cleanup);

const FIXED = new Date('2030-01-01T00:00:00Z');

describe('adding and managing jobs', () => {
  it("addJob takes APScheduler's options: a trigger type with its options, args, kwargs and job options", async () => {
    const { scheduler, events } = makeScheduler({ clock: () => FIXED });
    scheduler.registerTask('report', () => undefined);
    const job = await scheduler.addJob({
      id: 'daily',
      func: 'report',
      trigger: 'cron',
      hour: 3,
      minute: 30,
      args: ['ops', 2],
      kwargs: { urgent: true },
      name: 'Daily report',
      misfireGraceTime: 60,
      coalesce: false,
      maxInstances: 3,
    });
    expect(job).toMatchObject({
      id: 'daily',
      name: 'Daily report',
      task: 'report',
      args: ['ops', 2],
      kwargs: { urgent: true },
      executor: 'default',
      jobstore: 'default',
      misfireGraceTime: 60,
      coalesce: false,
      maxInstances: 3,
    });
    expect(job.nextRunTime).toStrictEqual(new Date('2030-01-01T03:30:00Z'));
    expect(job.trigger).toBeInstanceOf(CronTrigger);
    expect(await scheduler.getJob('daily')).toMatchObject({ id: 'daily', nextRunTime: new Date('2030-01-01T03:30:00Z') });
    expect(ofType(events, 'job_added')).toStrictEqual([{ type: 'job_added', code: EVENT_JOB_ADDED, jobId: 'daily', jobstore: 'default' }]);
  });

  it('applies the job defaults, and a trigger instance, or no trigger (run once now)', async () => {
    const { scheduler } = makeScheduler({ clock: () => FIXED, jobDefaults: { misfireGraceTime: null, coalesce: false, maxInstances: 2 } });
    scheduler.registerTask('t', () => undefined);
    const trigger: Trigger = new IntervalTrigger({ minutes: 5, startDate: FIXED });
    const every = await scheduler.addJob({ func: 't', trigger });
    // The first fire time of an interval trigger is its start date.
    expect(every).toMatchObject({ misfireGraceTime: null, coalesce: false, maxInstances: 2, nextRunTime: FIXED });
    const once = await scheduler.addJob({ func: 't' });
    expect(once.nextRunTime).toStrictEqual(FIXED);
    expect(once.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("registers a named function given as func; an anonymous one becomes the job's own task; refuses unknown task names", async () => {
    const { scheduler } = makeScheduler();
    function cleanupTemp(): void {}
    expect((await scheduler.addJob({ func: cleanupTemp, trigger: 'interval', hours: 1 })).task).toBe('cleanupTemp');
    expect(scheduler.tasks()).toContain('cleanupTemp');
    const anonymous = [() => 1][0] as () => number; // an arrow in an array gets no name
    expect((await scheduler.addJob({ id: 'anon', func: anonymous })).task).toBe('inline:anon');
    await expect(scheduler.addJob({ func: 'nope' })).rejects.toThrow(/no task "nope" is registered/);
  });

  it('refuses unknown options, stores, executors and bad job options with typed errors', async () => {
    const { scheduler } = makeScheduler();
    scheduler.registerTask('t', () => undefined);
    await expect(scheduler.addJob({ func: 't', minuts: 5 } as never)).rejects.toThrow(/unknown option "minuts"/);
    await expect(scheduler.addJob({ func: 't', jobstore: 'other' })).rejects.toThrow(/no jobstore "other"/);
    await expect(scheduler.addJob({ func: 't', executor: 'gpu' })).rejects.toThrow(/no executor "gpu"/);
    await expect(scheduler.addJob({ func: 't', maxInstances: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(scheduler.addJob({ func: 't', trigger: 'cron', hour: 25 })).rejects.toThrow(/hour/);
    // Values String() cannot print are still refused with a typed error that describes them.
    for (const odd of [
      Object.create(null),
      {
        [Symbol.toPrimitive]: () => {
          throw new Error('no');
        },
      },
    ]) {
      await expect(scheduler.addJob({ func: 't', coalesce: odd as never })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(scheduler.addJob({ func: 't', maxInstances: odd as never })).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(() => new Scheduler({ leaseMs: odd as never })).toThrow(InvalidArgumentError);
    }
    expect(await scheduler.getJobs()).toStrictEqual([]);
  });

  it('a taken id fails with ConflictingIdError unless replaceExisting', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('t', () => undefined);
    await scheduler.addJob({ id: 'x', func: 't', trigger: 'interval', minutes: 1 });
    await expect(scheduler.addJob({ id: 'x', func: 't' })).rejects.toBeInstanceOf(ConflictingIdError);
    const replaced = await scheduler.addJob({ id: 'x', func: 't', trigger: 'interval', minutes: 7, replaceExisting: true });
    expect(replaced.trigger.toJSON()).toMatchObject({ type: 'interval', minutes: 7 });
    expect(ofType(events, 'job_modified').map((e) => e.jobId)).toStrictEqual(['x']);
  });

  it('modifyJob, rescheduleJob, pauseJob and resumeJob change what they say and keep the rest', async () => {
    const { scheduler, events } = makeScheduler({ clock: () => new Date(FIXED.getTime() + 60_000) });
    scheduler.registerTask('t', () => undefined);
    scheduler.registerTask('u', () => undefined);
    await scheduler.addJob({ id: 'j', func: 't', trigger: 'interval', minutes: 10, startDate: FIXED, args: [1] });
    const modified = await scheduler.modifyJob('j', { name: 'renamed', args: [2], func: 'u', maxInstances: 4 });
    expect(modified).toMatchObject({ name: 'renamed', args: [2], task: 'u', maxInstances: 4, nextRunTime: new Date('2030-01-01T00:10:00Z') });
    const rescheduled = await scheduler.rescheduleJob('j', 'cron', { minute: '*/15' });
    expect(rescheduled).toMatchObject({ name: 'renamed', nextRunTime: new Date('2030-01-01T00:15:00Z') });
    expect((await scheduler.pauseJob('j')).nextRunTime).toBeNull();
    expect((await scheduler.resumeJob('j'))?.nextRunTime).toStrictEqual(new Date('2030-01-01T00:15:00Z'));
    expect(ofType(events, 'job_modified')).toHaveLength(4);
    await expect(scheduler.modifyJob('ghost', { name: 'x' })).rejects.toBeInstanceOf(JobLookupError);
  });

  it('resumeJob removes a job whose trigger is done, as APScheduler does', async () => {
    const { scheduler } = makeScheduler({ clock: () => FIXED });
    scheduler.registerTask('t', () => undefined);
    await scheduler.addJob({ id: 'once', func: 't', trigger: 'date', runDate: FIXED, nextRunTime: null });
    // A date trigger that has not fired yet still fires: resume schedules it.
    expect((await scheduler.resumeJob('once'))?.nextRunTime).toStrictEqual(FIXED);
    await scheduler.addJob({ id: 'ended', func: 't', trigger: 'interval', minutes: 1, startDate: '2029-01-01T00:00:00Z', endDate: '2029-02-01T00:00:00Z', nextRunTime: null });
    expect(await scheduler.resumeJob('ended')).toBeNull();
    expect(await scheduler.getJob('ended')).toBeNull();
  });

  it('removeJob and removeAllJobs delete, with events; getJobs lists every store', async () => {
    const store2 = makeScheduler().store;
    const { scheduler, events } = makeScheduler({ clock: () => FIXED });
    await scheduler.addJobstore(store2, 'second');
    scheduler.registerTask('t', () => undefined);
    await scheduler.addJob({ id: 'a', func: 't', trigger: 'interval', minutes: 1 });
    await scheduler.addJob({ id: 'b', func: 't', trigger: 'interval', minutes: 2, jobstore: 'second' });
    expect((await scheduler.getJobs()).map((j) => [j.id, j.jobstore])).toStrictEqual([
      ['a', 'default'],
      ['b', 'second'],
    ]);
    expect((await scheduler.getJobs('second')).map((j) => j.id)).toStrictEqual(['b']);
    await scheduler.removeJob('b');
    await expect(scheduler.removeJob('b')).rejects.toBeInstanceOf(JobLookupError);
    await scheduler.removeAllJobs();
    expect(await scheduler.getJobs()).toStrictEqual([]);
    expect(events.filter((e) => e.type === 'job_removed' || e.type === 'all_jobs_removed' || e.type === 'jobstore_added').map((e) => e.type)).toStrictEqual([
      'jobstore_added',
      'job_removed',
      'all_jobs_removed',
      'all_jobs_removed',
    ]);
  });

  it('runJob runs a job now through its executor and returns its result, leaving the schedule alone', async () => {
    const { scheduler, events } = makeScheduler({ clock: () => new Date(FIXED.getTime() + 60_000) });
    scheduler.registerTask('add', (a: number, b: number) => a + b);
    scheduler.registerTask('block', () => new Promise(() => undefined));
    await scheduler.addJob({ id: 'sum', func: 'add', args: [2, 3], trigger: 'interval', hours: 1, startDate: FIXED });
    expect(await scheduler.runJob('sum')).toBe(5);
    expect((await scheduler.getJob('sum'))?.nextRunTime).toStrictEqual(new Date('2030-01-01T01:00:00Z'));
    expect(ofType(events, 'job_executed').map((e) => e.returnValue)).toStrictEqual([5]);
    await scheduler.addJob({ id: 'busy', func: 'block', trigger: 'interval', hours: 1 });
    void scheduler.runJob('busy');
    await expect(scheduler.runJob('busy')).rejects.toBeInstanceOf(MaxInstancesReachedError);
  });

  it('task() registers a function and schedules it in one call, replacing the job on the next start', async () => {
    const { scheduler } = makeScheduler();
    async function heartbeat(): Promise<void> {}
    const job = await scheduler.task({ trigger: 'interval', seconds: 30 }, heartbeat);
    expect(job).toMatchObject({ id: 'heartbeat', task: 'heartbeat' });
    const again = await scheduler.task({ trigger: 'interval', seconds: 45 }, heartbeat);
    expect(again.trigger.toJSON()).toMatchObject({ seconds: 45 });
    expect(await scheduler.getJobs()).toHaveLength(1);
  });
});

describe('stores, executors and listeners', () => {
  it('adds and removes executors and job stores, with their events; on() hears one type', async () => {
    const { scheduler, events } = makeScheduler();
    const added: string[] = [];
    const stop = scheduler.on('executor_added', (event) => added.push(event.alias));
    scheduler.addExecutor({ type: 'debug' }, 'inline');
    expect(() => scheduler.addExecutor({ type: 'async' }, 'inline')).toThrow(/exists already/);
    expect(() => scheduler.addExecutor({ type: 'gpu' } as never, 'x')).toThrow(/type must be/);
    stop();
    scheduler.addExecutor({ type: 'async' }, 'quiet');
    await scheduler.removeExecutor('inline');
    await expect(scheduler.removeExecutor('inline')).rejects.toThrow(/no executor/);
    await scheduler.addJobstore({ type: 'memory' }, 'extra');
    await expect(scheduler.addJobstore({ type: 'nosuchstore' }, 'bad')).rejects.toThrow(/no store type "nosuchstore": the types are memory, sql/);
    await scheduler.removeJobstore('extra');
    expect(added).toStrictEqual(['inline']);
    expect(events.map((e) => e.type)).toStrictEqual(['executor_added', 'executor_added', 'executor_removed', 'jobstore_added', 'jobstore_removed']);
  });

  it('opens stores described by configuration: memory and SQL', async () => {
    const { scheduler } = makeScheduler({ jobstores: { default: { type: 'memory' }, lite: { type: 'sql', url: 'sqlite::memory:' } } });
    scheduler.registerTask('t', () => undefined);
    await scheduler.addJob({ id: 'a', func: 't', trigger: 'interval', minutes: 1, jobstore: 'lite' });
    expect((await scheduler.getJobs()).map((j) => [j.id, j.jobstore])).toStrictEqual([['a', 'lite']]);
  });
});
