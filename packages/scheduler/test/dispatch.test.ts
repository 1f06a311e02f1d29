import { CorruptJobError, DateTrigger, IntervalTrigger } from '@jobstore/core';
import { Scheduler, TaskLookupError } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, sleep, until } from './support.js';

afterEach(cleanup);

describe('running jobs', () => {
  it('runs a date job at its time with its args and kwargs, reports the result, and removes the job', async () => {
    const { scheduler, events } = makeScheduler();
    const calls: unknown[][] = [];
    scheduler.registerTask('greet', (...args: unknown[]) => {
      calls.push(args);
      return 'done';
    });
    await scheduler.start();
    const runDate = inMs(150);
    await scheduler.addJob({ id: 'hello', func: 'greet', trigger: 'date', runDate, args: ['ada'], kwargs: { loud: true } });
    await until(() => ofType(events, 'job_removed').length === 1);
    expect(calls).toStrictEqual([['ada', { loud: true }]]);
    const [executed] = ofType(events, 'job_executed');
    expect(executed).toMatchObject({ jobId: 'hello', returnValue: 'done', scheduledRunTime: runDate });
    expect(await scheduler.getJob('hello')).toBeNull();
    expect(events.map((e) => e.type).filter((t) => t.startsWith('job_'))).toStrictEqual(['job_added', 'job_submitted', 'job_executed', 'job_removed']);
  });

  it('an interval job fires on its grid, once per fire time', async () => {
    const { scheduler } = makeScheduler();
    const fired: Date[] = [];
    scheduler.registerTask('tick', () => fired.push(new Date()));
    await scheduler.start();
    const start = inMs(100);
    await scheduler.addJob({ func: 'tick', trigger: new IntervalTrigger({ seconds: 0.2, startDate: start }) });
    await until(() => fired.length >= 5, 5000);
    const gaps = fired.slice(1).map((t, i) => t.getTime() - (fired[i] as Date).getTime());
    for (const gap of gaps) expect(gap).toBeGreaterThan(100);
  });

  it('wakes at once for a job added while it sleeps', async () => {
    const { scheduler } = makeScheduler({ maxWait: 60_000 });
    let ranAt = 0;
    scheduler.registerTask('now', () => (ranAt = Date.now()));
    await scheduler.start();
    await sleep(50);
    const due = Date.now() + 100;
    await scheduler.addJob({ func: 'now', trigger: 'date', runDate: new Date(due) });
    await until(() => ranAt > 0, 3000);
    expect(ranAt - due).toBeLessThan(1000);
  });

  it('a job added elsewhere while the scheduler asks for its next run time is not slept past', async () => {
    // A store whose next-run answer is in flight when another process adds a job due now: the
    // answer predates the add, and the add's notification arrives before the scheduler sleeps.
    class RacingStore extends MemoryJobStore {
      race: (() => Promise<void>) | undefined;
      override async getNextRunTime(): Promise<Date | null> {
        const answer = await super.getNextRunTime();
        const race = this.race;
        this.race = undefined;
        await race?.();
        return answer;
      }
    }
    const store = new RacingStore();
    const scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC', maxWait: 60_000 });
    const other = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    let ranAt = 0;
    for (const s of [scheduler, other]) s.registerTask('now', () => (ranAt = Date.now()));
    await other.start({ paused: true });
    await scheduler.start();
    try {
      await sleep(50);
      const due = Date.now();
      store.race = async () => void (await other.addJob({ id: 'raced', func: 'now', trigger: 'date', runDate: new Date(due), misfireGraceTime: null }));
      // A job due later wakes the scheduler, whose round ends asking the store for its next run time.
      await scheduler.addJob({ id: 'later', func: 'now', trigger: 'date', runDate: inMs(30_000) });
      await until(() => ranAt > 0, 3000);
      expect(ranAt - due).toBeLessThan(1000);
    } finally {
      await other.shutdown({ wait: false });
      await scheduler.shutdown({ wait: false });
    }
  });

  it('a job that throws reports job_error and the scheduler goes on', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('boom', () => {
      throw new Error('kaboom');
    });
    const ran: string[] = [];
    scheduler.registerTask('fine', () => ran.push('fine'));
    await scheduler.start();
    await scheduler.addJob({ func: 'boom' });
    await scheduler.addJob({ func: 'fine', trigger: 'date', runDate: inMs(100) });
    await until(() => ran.length === 1);
    const [error] = ofType(events, 'job_error');
    expect((error?.error as Error | undefined)?.message).toBe('kaboom');
  });

  it('a job that never finishes holds only itself, not the scheduler', async () => {
    const { scheduler } = makeScheduler();
    scheduler.registerTask('hang', () => new Promise(() => undefined));
    const ran: number[] = [];
    scheduler.registerTask('tick', () => ran.push(1));
    await scheduler.start();
    await scheduler.addJob({ func: 'hang' });
    await scheduler.addJob({ func: 'tick', trigger: new IntervalTrigger({ seconds: 0.1, startDate: inMs(50) }) });
    await until(() => ran.length >= 3);
  });

  it('a run later than misfireGraceTime is missed, not run; with null it runs however late', async () => {
    const { scheduler, events } = makeScheduler();
    const ran: string[] = [];
    scheduler.registerTask('late', (label: string) => ran.push(label));
    await scheduler.addJob({ id: 'strict', func: 'late', args: ['strict'], trigger: 'date', runDate: inMs(-5000), misfireGraceTime: 1 });
    await scheduler.addJob({ id: 'lenient', func: 'late', args: ['lenient'], trigger: 'date', runDate: inMs(-5000), misfireGraceTime: null });
    await scheduler.start();
    await until(() => ofType(events, 'job_removed').length === 2);
    expect(ran).toStrictEqual(['lenient']);
    expect(ofType(events, 'job_missed').map((e) => e.jobId)).toStrictEqual(['strict']);
  });

  it('coalesce runs a backlog once; without it every missed fire time runs', async () => {
    const { scheduler, events } = makeScheduler();
    const runs: Record<string, number> = { coalesced: 0, each: 0 };
    scheduler.registerTask('count', (label: string) => runs[label]!++);
    const startDate = inMs(-3500); // fire times at -3.5, -2.5, -1.5, -0.5 s
    await scheduler.addJob({
      id: 'coalesced',
      func: 'count',
      args: ['coalesced'],
      trigger: new IntervalTrigger({ seconds: 1, startDate }),
      nextRunTime: startDate,
      coalesce: true,
      misfireGraceTime: null,
    });
    await scheduler.addJob({ id: 'each', func: 'count', args: ['each'], trigger: new IntervalTrigger({ seconds: 1, startDate }), nextRunTime: startDate, coalesce: false, misfireGraceTime: null });
    await scheduler.start();
    await until(() => runs['each']! >= 4);
    await sleep(100);
    expect(runs['coalesced']).toBe(1);
    // maxInstances 1: the backlog runs one after another in one instance, as APScheduler runs it.
    expect(runs['each']).toBe(4);
    expect(ofType(events, 'job_submitted').find((e) => e.jobId === 'each')?.scheduledRunTimes).toHaveLength(4);
    expect(ofType(events, 'job_max_instances')).toStrictEqual([]);
  });

  it('maxInstances 1: a long run is never joined by a second one; of the fire times it overlaps the newest runs after it, and each other one is reported job_max_instances', async () => {
    const { scheduler, events } = makeScheduler();
    let running = 0;
    let most = 0;
    scheduler.registerTask('long', async () => {
      most = Math.max(most, ++running);
      await sleep(500);
      running--;
    });
    await scheduler.start();
    const startDate = inMs(20);
    await scheduler.addJob({ id: 'long', func: 'long', trigger: new IntervalTrigger({ seconds: 0.1, startDate }), misfireGraceTime: null });
    await until(() => ofType(events, 'job_executed').length >= 2, 5000);
    expect(most).toBe(1);
    // The second run starts when the first ends, for the latest of the fire times it overlapped.
    const [first, second] = ofType(events, 'job_submitted').map((event) => event.scheduledRunTimes);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    const [firstTime, secondTime] = [first?.[0]?.getTime() ?? 0, second?.[0]?.getTime() ?? 0];
    expect(secondTime - firstTime).toBeGreaterThanOrEqual(400);
    // Every fire time between them was dropped, one job_max_instances each, in order, as APScheduler reports them.
    const dropped = ofType(events, 'job_max_instances').filter((event) => event.scheduledRunTimes[0]!.getTime() < secondTime);
    expect(dropped.map((event) => event.scheduledRunTimes.length)).toStrictEqual(dropped.map(() => 1));
    const expected: number[] = [];
    for (let time = firstTime + 100; time < secondTime; time += 100) expected.push(time);
    expect(dropped.map((event) => event.scheduledRunTimes[0]!.getTime())).toStrictEqual(expected);
    expect(ofType(events, 'job_missed')).toStrictEqual([]);
  });

  it('without coalesce, the fire times a run overlapped run after it in order, and those past the grace time are reported missed', async () => {
    const { scheduler, events } = makeScheduler();
    const ran: number[] = [];
    let calls = 0;
    scheduler.registerTask('slow-once', async () => {
      if (calls++ === 0) await sleep(600);
      ran.push(Date.now());
    });
    await scheduler.start();
    const startDate = inMs(20);
    await scheduler.addJob({
      id: 'slow-once',
      func: 'slow-once',
      trigger: new IntervalTrigger({ seconds: 0.1, startDate, endDate: new Date(startDate.getTime() + 950) }),
      misfireGraceTime: 0.35,
      coalesce: false,
    });
    await until(() => ofType(events, 'job_removed').length === 1, 5000);
    const missed = ofType(events, 'job_missed').length;
    // 10 fire times: the first ran long; of the five it overlapped, those older than 0.35 s were missed.
    expect(missed).toBeGreaterThan(0);
    expect(ran.length + missed).toBe(10);
    expect(ofType(events, 'job_max_instances')).toStrictEqual([]);
  });

  it('maxInstances 2 lets two runs of a long job overlap, and no more', async () => {
    const { scheduler } = makeScheduler();
    let running = 0;
    let most = 0;
    scheduler.registerTask('long', async () => {
      most = Math.max(most, ++running);
      await sleep(400);
      running--;
    });
    await scheduler.start();
    await scheduler.addJob({ func: 'long', trigger: new IntervalTrigger({ seconds: 0.1, startDate: inMs(20) }), maxInstances: 2, misfireGraceTime: null });
    await sleep(1200);
    expect(most).toBe(2);
  });

  it('a one-off job added again under the id of one that just ran runs at once, not after the stale-read window', async () => {
    const { scheduler } = makeScheduler();
    const ran: number[] = [];
    scheduler.registerTask('once', () => void ran.push(Date.now()));
    await scheduler.start();
    for (let round = 0; round < 3; round++) {
      const added = Date.now();
      await scheduler.addJob({ id: 'reused', func: 'once', trigger: new DateTrigger({ runDate: new Date() }) });
      await until(() => ran.length === round + 1, 2000);
      expect((ran[round] ?? 0) - added).toBeLessThan(1000);
      // The date job removes itself once run.
      for (let i = 0; i < 100 && (await scheduler.getJob('reused')) !== null; i++) await sleep(10);
    }
  });

  it('a job whose task this process does not know is reported and kept, never deleted', async () => {
    const { scheduler, events, store } = makeScheduler();
    // Another process, sharing the store, added the job with a task this scheduler lacks.
    const other = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    other.registerTask('elsewhere', () => undefined);
    await other.addJob({ id: 'foreign', func: 'elsewhere', trigger: 'interval', minutes: 1, nextRunTime: inMs(-10) });
    await scheduler.start();
    await until(() => ofType(events, 'job_error').length >= 1);
    expect(ofType(events, 'job_error')[0]?.error).toBeInstanceOf(TaskLookupError);
    await sleep(200);
    expect(ofType(events, 'job_error')).toHaveLength(1); // reported once, not in a loop
    expect(await store.lookupJob('foreign')).not.toBeNull();
  });

  it('a corrupt record is reported as a jobstore_error, kept, and does not stop other jobs', async () => {
    const { scheduler, events, store } = makeScheduler();
    store.database.writeRow('jobs', { id: 'broken', nextRunTime: Date.now() - 10, data: '{"v":1,"d":{"$t":"???","v":0}}', version: 1, acquiredBy: null, acquiredUntil: null });
    const ran: number[] = [];
    scheduler.registerTask('fine', () => ran.push(1));
    await scheduler.start();
    await scheduler.addJob({ func: 'fine', trigger: 'date', runDate: inMs(50) });
    await until(() => ran.length === 1 && ofType(events, 'jobstore_error').length >= 1);
    expect(ofType(events, 'jobstore_error')[0]?.error).toBeInstanceOf(CorruptJobError);
    expect(store.database.readRow('jobs', 'broken')).not.toBeNull();
  });

  it('a job paused while it runs stays paused after the run', async () => {
    const { scheduler, events } = makeScheduler();
    let release = (): void => undefined;
    scheduler.registerTask('wait', () => new Promise<void>((resolve) => (release = resolve)));
    await scheduler.start();
    await scheduler.addJob({ id: 'p', func: 'wait', trigger: new IntervalTrigger({ seconds: 0.2, startDate: inMs(20) }) });
    await until(() => ofType(events, 'job_submitted').length === 1);
    await scheduler.pauseJob('p');
    release();
    await until(() => ofType(events, 'job_executed').length === 1);
    await sleep(300);
    expect((await scheduler.getJob('p'))?.nextRunTime).toBeNull();
    expect(ofType(events, 'job_submitted')).toHaveLength(1);
  });

  it('a store that fails is reported and retried; the scheduler keeps running', async () => {
    const { scheduler, events, store } = makeScheduler();
    const ran: number[] = [];
    scheduler.registerTask('fine', () => ran.push(1));
    const original = store.acquireDueJobs.bind(store);
    let failures = 3;
    store.acquireDueJobs = async (options) => {
      if (failures-- > 0) throw new Error('database on fire');
      return original(options);
    };
    await scheduler.addJob({ func: 'fine', trigger: 'date', runDate: inMs(20) });
    await scheduler.start();
    await until(() => ran.length === 1, 5000);
    expect(ofType(events, 'jobstore_error').length).toBeGreaterThanOrEqual(3);
  });
});
