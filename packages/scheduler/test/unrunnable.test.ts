import { Scheduler, TaskLookupError } from '@jobstore/scheduler';
import type { MemoryJobStore } from '@jobstore/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, sleep, until } from './support.js';

afterEach(cleanup);

/** Another process sharing `store` adds a job due now whose task ("elsewhere") this one lacks. */
async function foreignJob(store: MemoryJobStore, options: { executor?: string } = {}): Promise<void> {
  const other = new Scheduler({ jobstores: { default: store }, executors: { default: { type: 'async' }, gpu: { type: 'async' } }, timezone: 'UTC' });
  other.registerTask('elsewhere', () => undefined);
  await other.addJob({ id: 'foreign', func: 'elsewhere', trigger: 'interval', seconds: 1, startDate: inMs(-60_000), nextRunTime: inMs(-10), misfireGraceTime: null, ...options });
}

describe('a stored job this process cannot run', () => {
  it('is reported once, not once per lease, and left exactly as stored, its lease let go', async () => {
    const { scheduler, events, store } = makeScheduler({ leaseMs: 100 });
    await foreignJob(store);
    const before = await store.lookupJob('foreign');
    await scheduler.start();
    await until(() => ofType(events, 'job_error').length === 1);
    await sleep(1200); // a dozen leases
    expect(ofType(events, 'job_error')).toHaveLength(1);
    expect(ofType(events, 'job_error')[0]?.error).toBeInstanceOf(TaskLookupError);
    const after = await store.lookupJob('foreign');
    // Never written: not paused, not removed, not rescheduled; and not held for the lease.
    expect([after?.version, after?.nextRunTime]).toStrictEqual([before?.version, before?.nextRunTime]);
    expect((after?.acquiredUntil?.getTime() ?? 0) < Date.now()).toBe(true);
  });

  it('shows why in getJob and getJobs: its task, or its executor', async () => {
    const { scheduler, store } = makeScheduler();
    await foreignJob(store);
    expect((await scheduler.getJob('foreign'))?.unrunnable).toMatch(/^task "elsewhere" is not registered in this process: register it/);
    expect((await scheduler.getJobs()).map((job) => job.unrunnable === undefined)).toStrictEqual([false]);
    scheduler.registerTask('elsewhere', () => undefined);
    expect((await scheduler.getJob('foreign'))?.unrunnable).toBeUndefined();
    const { scheduler: lacking, store: second } = makeScheduler();
    lacking.registerTask('elsewhere', () => undefined);
    await foreignJob(second, { executor: 'gpu' });
    expect((await lacking.getJob('foreign'))?.unrunnable).toBe('executor "gpu" is not configured in this process');
  });

  it('runs as soon as its task is registered, not when a lease ends', async () => {
    const { scheduler, events, store } = makeScheduler({ leaseMs: 30_000 });
    await foreignJob(store);
    await scheduler.start();
    await until(() => ofType(events, 'job_error').length === 1);
    const registered = Date.now();
    let ranAt = 0;
    scheduler.registerTask('elsewhere', () => {
      ranAt ||= Date.now();
    });
    await until(() => ranAt > 0, 3000);
    expect(ranAt - registered).toBeLessThan(1000);
  });

  it("is run by another process that has its task, without waiting for this one's lease", async () => {
    const { scheduler: lacking, events, store } = makeScheduler({ leaseMs: 30_000 });
    await foreignJob(store);
    await lacking.start();
    await until(() => ofType(events, 'job_error').length === 1); // it claimed the job first
    const { scheduler: having, events: heard } = makeScheduler({ jobstores: { default: store }, leaseMs: 30_000 });
    having.registerTask('elsewhere', () => 'ran');
    await having.start();
    await until(() => ofType(heard, 'job_executed').length >= 1, 5000);
    expect(ofType(events, 'job_error')).toHaveLength(1);
  });

  it('does not keep the loop busy, and other jobs still run on time', async () => {
    const { scheduler, events, store } = makeScheduler({ maxWait: 5000 });
    await foreignJob(store);
    let claims = 0;
    const acquire = store.acquireDueJobs.bind(store);
    store.acquireDueJobs = async (options) => {
      claims++;
      return acquire(options);
    };
    await scheduler.start();
    await until(() => ofType(events, 'job_error').length === 1);
    const counted = claims;
    await sleep(500);
    expect(claims - counted).toBeLessThanOrEqual(1);
    // Due later than the parked job: the loop must sleep until then, not past it to maxWait.
    let ranAt = 0;
    scheduler.registerTask('mine', () => {
      ranAt = Date.now();
    });
    const due = Date.now() + 300;
    await scheduler.addJob({ func: 'mine', trigger: 'date', runDate: new Date(due) });
    await until(() => ranAt > 0, 6000);
    expect(ranAt - due).toBeLessThan(200);
  });
});
