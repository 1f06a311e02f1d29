import { DebugExecutor, ProcessPoolExecutor, ThreadPoolExecutor, WorkerTaskError, type Executor } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, until } from './support.js';

afterEach(cleanup);

const TASKS = new URL('./fixtures/pool-tasks.mjs', import.meta.url);

describe('the debug executor', () => {
  it('runs each job inline: the scheduler waits for it before the next', async () => {
    const { scheduler } = makeScheduler({ executors: { default: new DebugExecutor() } });
    const log: string[] = [];
    scheduler.registerTask('step', async (label: string) => {
      log.push(`${label} start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      log.push(`${label} end`);
    });
    const at = inMs(100);
    await scheduler.addJob({ id: 'a', func: 'step', args: ['a'], trigger: 'date', runDate: at });
    await scheduler.addJob({ id: 'b', func: 'step', args: ['b'], trigger: 'date', runDate: at });
    await scheduler.start();
    await until(() => log.length === 4);
    expect(log).toStrictEqual(['a start', 'a end', 'b start', 'b end']);
  });
});

for (const [name, make] of [
  ['threadpool', () => new ThreadPoolExecutor(2)],
  ['processpool', () => new ProcessPoolExecutor(2)],
] as const) {
  describe(`the ${name} executor`, () => {
    const setup = async (executor: Executor) => {
      const made = makeScheduler({ executors: { default: executor } });
      const names = await made.scheduler.importTasks(TASKS, { prefix: 'pool' });
      expect(names).toContain('pool:whereAmI');
      await made.scheduler.start();
      return made;
    };

    it('runs tasks away from the main thread, with the job context and kwargs', async () => {
      const { scheduler, events } = await setup(make());
      const runDate = inMs(50);
      await scheduler.addJob({ id: 'where', func: 'pool:whereAmI', args: ['x'], trigger: 'date', runDate });
      await scheduler.addJob({ id: 'sum', func: 'pool:add', args: [2, 3], kwargs: { extra: 10 }, trigger: 'date', runDate });
      await until(() => ofType(events, 'job_executed').length === 2, 10_000);
      const results = Object.fromEntries(ofType(events, 'job_executed').map((e) => [e.jobId, e.returnValue]));
      expect(results['sum']).toBe(15);
      const where = results['where'] as { label: string; pid: number; isMainThread: boolean; jobId: string; scheduledRunTime: Date };
      expect(where).toMatchObject({ label: 'x', jobId: 'where', scheduledRunTime: runDate });
      if (name === 'threadpool') expect(where).toMatchObject({ pid: process.pid, isMainThread: false });
      else expect(where.pid).not.toBe(process.pid);
    });

    it("a task that throws fails its run with the error's name and message", async () => {
      const { scheduler, events } = await setup(make());
      await scheduler.addJob({ func: 'pool:fail', args: ['out of range'] });
      await until(() => ofType(events, 'job_error').length === 1, 10_000);
      const error = ofType(events, 'job_error')[0]?.error as WorkerTaskError;
      expect(error).toBeInstanceOf(WorkerTaskError);
      expect([error.name, error.message]).toStrictEqual(['RangeError', 'out of range']);
    });

    it('a worker that dies fails only its run; the pool replaces it', async () => {
      const { scheduler, events } = await setup(make());
      await scheduler.addJob({ id: 'die', func: 'pool:die' });
      await until(() => ofType(events, 'job_error').length === 1, 10_000);
      expect(String(ofType(events, 'job_error')[0]?.error)).toMatch(/exited/);
      await scheduler.addJob({ id: 'after', func: 'pool:add', args: [1, 1] });
      await until(() => ofType(events, 'job_executed').some((e) => e.jobId === 'after' && e.returnValue === 2), 10_000);
    });

    it('a hung task holds one worker; the other keeps running jobs', async () => {
      const { scheduler, events } = await setup(make());
      await scheduler.addJob({ id: 'stuck', func: 'pool:forever' });
      for (let i = 0; i < 3; i++) await scheduler.addJob({ id: `spin${i}`, func: 'pool:spin', args: [20] });
      await until(() => ofType(events, 'job_executed').length === 3, 10_000);
    });

    it('a task registered without a module cannot run in a pool, and says so', async () => {
      const { scheduler, events } = await setup(make());
      scheduler.registerTask('local', () => 1);
      await scheduler.addJob({ func: 'local' });
      await until(() => ofType(events, 'job_error').length === 1, 10_000);
      expect(String(ofType(events, 'job_error')[0]?.error)).toMatch(/no module a worker can import/);
    });
  });
}
