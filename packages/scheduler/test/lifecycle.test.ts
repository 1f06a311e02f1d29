import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SchedulerStateError } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, sleep, until } from './support.js';

afterEach(cleanup);
const run = promisify(execFile);

describe('scheduler lifecycle', () => {
  it('starts, pauses, resumes and shuts down, with an event for each', async () => {
    const { scheduler, events } = makeScheduler();
    expect(scheduler.state).toBe('stopped');
    await scheduler.start();
    expect([scheduler.state, scheduler.running]).toStrictEqual(['running', true]);
    scheduler.pause();
    expect(scheduler.state).toBe('paused');
    scheduler.resume();
    await scheduler.shutdown();
    expect(scheduler.state).toBe('shut down');
    expect(events.map((e) => e.type)).toStrictEqual(['scheduler_started', 'scheduler_paused', 'scheduler_resumed', 'scheduler_shutdown']);
  });

  it('refuses to start twice or after shutdown, and shutdown twice is harmless', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    await expect(scheduler.start()).rejects.toBeInstanceOf(SchedulerStateError);
    await scheduler.shutdown();
    await scheduler.shutdown();
    await expect(scheduler.start()).rejects.toThrow(/shut down/);
    await expect(scheduler.addJob({ func: 'x' })).rejects.toBeInstanceOf(SchedulerStateError);
    expect(() => scheduler.pause()).toThrow(SchedulerStateError);
  });

  it('runs nothing while paused and catches up on resume', async () => {
    const { scheduler } = makeScheduler();
    const ran: Date[] = [];
    scheduler.registerTask('tick', () => ran.push(new Date()));
    await scheduler.start({ paused: true });
    await scheduler.addJob({ func: 'tick', trigger: 'date', runDate: inMs(50), misfireGraceTime: null });
    await sleep(300);
    expect(ran).toHaveLength(0);
    scheduler.resume();
    await until(() => ran.length === 1);
  });

  it('run() resolves when the scheduler is shut down', async () => {
    const { scheduler } = makeScheduler();
    let done = false;
    const running = scheduler.run({ signals: false }).then(() => (done = true));
    await until(() => scheduler.running);
    expect(done).toBe(false);
    await scheduler.shutdown();
    await running;
    expect(done).toBe(true);
  });

  it('shutdown waits for running jobs unless told not to', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('slow', () => new Promise((resolve) => setTimeout(() => resolve('finished'), 300)));
    await scheduler.start();
    await scheduler.addJob({ func: 'slow' });
    await until(() => ofType(events, 'job_submitted').length === 1);
    await scheduler.shutdown({ wait: true });
    expect(ofType(events, 'job_executed').map((e) => e.returnValue)).toStrictEqual(['finished']);
  });

  it('a daemon scheduler does not keep the process alive; a normal one does until shutdown', async () => {
    const script = (daemon: boolean): string => `
      import { Scheduler } from '@jobstore/scheduler';
      const scheduler = new Scheduler({ daemon: ${daemon}, jobstores: { default: { type: 'memory' } } });
      await scheduler.start();
      setTimeout(() => { console.log('still alive'); scheduler.shutdown(); }, 1500).unref();
    `;
    const cwd = new URL('..', import.meta.url).pathname;
    const daemon = await run('node', ['--input-type=module', '-e', script(true)], { cwd });
    expect(daemon.stdout).not.toContain('still alive');
    const normal = await run('node', ['--input-type=module', '-e', script(false)], { cwd });
    expect(normal.stdout).toContain('still alive');
  }, 20_000);
});
