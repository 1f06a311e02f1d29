import { ConflictingIdError, InvalidArgumentError } from '@jobstore/core';
import { TaskLookupError } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, until } from './support.js';

afterEach(cleanup);

describe('functions given inline as func', () => {
  it('addJob with an arrow function twice (the issue): each job gets a task of its own, inline:<id>, and runs its own function', async () => {
    const { scheduler } = makeScheduler();
    const first = await scheduler.addJob({ func: async () => 1, trigger: 'interval', seconds: 5 });
    const second = await scheduler.addJob({ func: async () => 2, trigger: 'interval', seconds: 5 });
    expect(first.task).toBe(`inline:${first.id}`);
    expect(second.task).toBe(`inline:${second.id}`);
    expect(await scheduler.runJob(first.id)).toBe(1);
    expect(await scheduler.runJob(second.id)).toBe(2);
    // Also a function expression under the func key, and one with no name at all.
    const named = await scheduler.addJob({
      id: 'expr',
      // biome-ignore lint/complexity/useArrowFunction: a function expression is the case under test
      func: function () {
        return 3;
      },
      trigger: 'interval',
      seconds: 5,
    });
    expect(named.task).toBe('inline:expr');
    const anonymous = [() => 4][0] as () => number;
    expect((await scheduler.addJob({ id: 'anon', func: anonymous })).task).toBe('inline:anon');
  });

  it('replacing the job replaces its function; a failed add leaves the job its own; removing the job unregisters it', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.addJob({ id: 'x', func: () => 'old', trigger: 'interval', minutes: 1 });
    await expect(scheduler.addJob({ id: 'x', func: () => 'intruder', trigger: 'interval', minutes: 1 })).rejects.toBeInstanceOf(ConflictingIdError);
    expect(await scheduler.runJob('x')).toBe('old');
    await expect(scheduler.addJob({ id: 'x', func: () => 'bad', trigger: 'cron', hour: 99, replaceExisting: true })).rejects.toThrow(/hour/);
    expect(await scheduler.runJob('x')).toBe('old');
    await scheduler.addJob({ id: 'x', func: () => 'new', trigger: 'interval', minutes: 1, replaceExisting: true });
    expect(await scheduler.runJob('x')).toBe('new');
    expect(scheduler.tasks().filter((name) => name.startsWith('inline:'))).toStrictEqual(['inline:x']);
    await scheduler.removeJob('x');
    expect(scheduler.tasks()).toStrictEqual([]);
  });

  it('a job given a named task, by replacement or modifyJob, lets its inline function go; modifyJob can give it a new one', async () => {
    const { scheduler } = makeScheduler();
    scheduler.registerTask('shared', () => 'shared');
    await scheduler.addJob({ id: 'a', func: () => 'a1', trigger: 'interval', minutes: 1 });
    await scheduler.addJob({ id: 'a', func: 'shared', trigger: 'interval', minutes: 1, replaceExisting: true });
    expect(scheduler.tasks()).toStrictEqual(['shared']);
    await scheduler.modifyJob('a', { func: () => 'a2' });
    expect([await scheduler.runJob('a'), (await scheduler.getJob('a'))?.task]).toStrictEqual(['a2', 'inline:a']);
    await scheduler.modifyJob('a', { func: 'shared' });
    expect(scheduler.tasks()).toStrictEqual(['shared']);
  });

  it('a one-off job that ran and was removed, and removeAllJobs, unregister their inline functions', async () => {
    const { scheduler, events } = makeScheduler();
    await scheduler.addJob({ id: 'keep', func: () => undefined, trigger: 'interval', minutes: 1 });
    await scheduler.start();
    await scheduler.addJob({ id: 'once', func: () => 'ran', trigger: 'date', runDate: inMs(20) });
    await until(() => ofType(events, 'job_removed').length === 1);
    expect(ofType(events, 'job_executed').map((e) => e.returnValue)).toStrictEqual(['ran']);
    expect(scheduler.tasks()).toStrictEqual(['inline:keep']);
    await scheduler.removeAllJobs();
    expect(scheduler.tasks()).toStrictEqual([]);
  });

  it('after a restart an inline job cannot run (reported, kept) until the application adds it again', async () => {
    const { scheduler, store } = makeScheduler();
    await scheduler.addJob({ id: 'report', func: async () => 'v1', trigger: 'interval', seconds: 1, startDate: inMs(-5000) });
    // The process ends; a new one opens the same store.
    const { scheduler: restarted, events } = makeScheduler({ jobstores: { default: store } });
    const stored = await restarted.getJob('report');
    expect(stored?.unrunnable).toMatch(/task "inline:report" is not registered in this process: it was an inline function/);
    await restarted.start();
    await until(() => ofType(events, 'job_error').length === 1);
    expect(ofType(events, 'job_error')[0]?.error).toBeInstanceOf(TaskLookupError);
    await restarted.addJob({ id: 'report', func: async () => 'v2', trigger: 'interval', seconds: 1, startDate: inMs(-5000), replaceExisting: true });
    await until(() => ofType(events, 'job_executed').length >= 1);
    expect(ofType(events, 'job_executed')[0]?.returnValue).toBe('v2');
  });

  it('two different functions with one name conflict, with a message that says what to do; the same function is reused', async () => {
    const { scheduler } = makeScheduler();
    const make = (label: string) =>
      function cleanup(): string {
        return label;
      };
    const first = make('first');
    await scheduler.addJob({ id: 'one', func: first, trigger: 'interval', minutes: 1 });
    expect((await scheduler.addJob({ id: 'two', func: first, trigger: 'interval', minutes: 1 })).task).toBe('cleanup');
    const error = await scheduler.addJob({ id: 'three', func: make('second'), trigger: 'interval', minutes: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^addJob: another function is already registered as "cleanup"\. .*registerTask\('another-name', fn\)/);
    expect(() => scheduler.registerTask('cleanup', make('third'))).toThrow(/^registerTask: another function is already registered as "cleanup"/);
    // The job's own name is not for other functions either.
    await scheduler.addJob({ id: 'mine', func: () => 1 });
    expect(() => scheduler.registerTask('inline:mine', () => 2)).toThrow(/"inline:mine" is the inline function of job "mine"/);
  });

  it('task() and registerTask work as documented: a name, then func by that name or by the function', async () => {
    const { scheduler } = makeScheduler();
    await expect(scheduler.task({ trigger: 'interval', seconds: 30 }, async () => undefined)).rejects.toThrow(/give an id for an anonymous function/);
    const job = await scheduler.task({ id: 'beat', trigger: 'interval', seconds: 30 }, async () => 'beat');
    expect(job.task).toBe('beat');
    const registered = (): string => 'registered';
    scheduler.registerTask('by-name', registered);
    expect((await scheduler.addJob({ func: registered })).task).toBe('by-name');
  });
});
