import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreClosedError } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';
import { Scheduler, SchedulerStateError, type SchedulerEvent } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { inMs, ofType, sleep, until } from './support.js';

// start() after shutdown reopens what shutdown closed, when it was given as configuration.
const live: Scheduler[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.allSettled(live.splice(0).map((scheduler) => scheduler.shutdown({ wait: false })));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function make(options: ConstructorParameters<typeof Scheduler>[0]): { scheduler: Scheduler; events: SchedulerEvent[] } {
  const scheduler = new Scheduler({ timezone: 'UTC', maxWait: 1000, ...options });
  const events: SchedulerEvent[] = [];
  scheduler.addListener((event) => events.push(event));
  live.push(scheduler);
  return { scheduler, events };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-restart-'));
  dirs.push(dir);
  return dir;
}

describe('start after shutdown', () => {
  it('a memory store from configuration keeps its jobs, and they run again', async () => {
    const { scheduler, events } = make({ jobstores: { default: { type: 'memory' } } });
    const ran: string[] = [];
    scheduler.registerTask('tick', (label: unknown) => void ran.push(String(label)));
    await scheduler.start();
    await scheduler.addJob({ id: 'later', func: 'tick', args: ['later'], trigger: 'date', runDate: inMs(60_000) });
    await scheduler.shutdown();
    await expect(scheduler.getJobs()).rejects.toBeInstanceOf(StoreClosedError);

    await scheduler.start();
    expect(scheduler.state).toBe('running');
    expect((await scheduler.getJobs()).map((job) => job.id)).toStrictEqual(['later']);
    await scheduler.addJob({ id: 'now', func: 'tick', args: ['now'] });
    await until(() => ran.includes('now'));
    expect(ofType(events, 'scheduler_started')).toHaveLength(2);
    expect(ofType(events, 'scheduler_shutdown')).toHaveLength(1);
  });

  it('a SQLite store from configuration is opened again on its file, with its jobs', async () => {
    const url = `sqlite:${join(tempDir(), 'jobs.db')}`;
    const { scheduler } = make({ jobstores: { default: { type: 'sql', url } } });
    scheduler.registerTask('tick', () => undefined);
    await scheduler.start();
    await scheduler.addJob({ id: 'kept', func: 'tick', trigger: 'interval', minutes: 5 });
    await scheduler.shutdown();
    await scheduler.start();
    expect((await scheduler.getJobs()).map((job) => job.id)).toStrictEqual(['kept']);
    await scheduler.modifyJob('kept', { name: 'changed after the restart' });
    expect((await scheduler.getJob('kept'))?.name).toBe('changed after the restart');
  });

  it('run() waits for the next shutdown after a restart', async () => {
    const { scheduler } = make({ jobstores: { default: { type: 'memory' } } });
    await scheduler.start();
    await scheduler.shutdown();
    let done = false;
    const running = scheduler.run({ signals: false }).then(() => (done = true));
    await until(() => scheduler.running);
    await sleep(50);
    expect(done).toBe(false);
    await scheduler.shutdown();
    await running;
    expect(done).toBe(true);
  });

  it('a store given as an instance cannot be reopened: the start is refused and nothing changes', async () => {
    const store = new MemoryJobStore();
    const { scheduler } = make({ jobstores: { default: store, other: { type: 'memory' } } });
    await scheduler.start();
    await scheduler.shutdown();
    const refused = scheduler.start();
    await expect(refused).rejects.toBeInstanceOf(SchedulerStateError);
    await expect(refused).rejects.toThrow('jobstore "default" was given as an instance');
    expect(scheduler.state).toBe('shut down');
    await expect(scheduler.getJobs()).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('an executor given as an instance cannot be reopened either', async () => {
    const executor = { inline: false, submit: async () => undefined, shutdown: async () => undefined };
    const { scheduler } = make({ jobstores: { default: { type: 'memory' } }, executors: { default: executor } });
    await scheduler.start();
    await scheduler.shutdown();
    await expect(scheduler.start()).rejects.toThrow('executor "default" was given as an instance');
  });

  it('is refused while runs that shutdown({ wait: false }) left are still going, and works once they end', async () => {
    const { scheduler, events } = make({ jobstores: { default: { type: 'memory' } } });
    let finish = (): void => undefined;
    scheduler.registerTask('slow', () => new Promise<void>((resolve) => (finish = resolve)));
    await scheduler.start();
    await scheduler.addJob({ id: 'slow', func: 'slow' });
    await until(() => ofType(events, 'job_submitted').length === 1);
    await scheduler.shutdown({ wait: false });
    await expect(scheduler.start()).rejects.toThrow('1 run from before the shutdown is still going');
    expect(scheduler.state).toBe('shut down');
    finish();
    await until(() => scheduler.runningJobs().length === 0);
    await scheduler.start();
    expect(scheduler.state).toBe('running');
  });

  it('a restart whose store cannot open is shut down again, and a later start can succeed', async () => {
    const dir = tempDir();
    const { scheduler } = make({ jobstores: { default: { type: 'sql', url: `sqlite:${join(dir, 'jobs.db')}` } } });
    await scheduler.start();
    await scheduler.shutdown();
    rmSync(dir, { recursive: true });
    await expect(scheduler.start()).rejects.toThrow();
    expect(scheduler.state).toBe('shut down');
    await expect(scheduler.getJobs()).rejects.toBeInstanceOf(StoreClosedError);
    mkdirSync(dir); // the folder is back
    await scheduler.start();
    expect(await scheduler.getJobs()).toStrictEqual([]);
  });

  it('a shutdown while starting leaves the scheduler shut down', async () => {
    const { scheduler } = make({ jobstores: { default: { type: 'memory' } } });
    const starting = scheduler.start();
    const stopping = scheduler.shutdown();
    await expect(starting).rejects.toThrow('shut down while it started');
    await stopping;
    expect(scheduler.state).toBe('shut down');
    await expect(scheduler.start()).resolves.toBeUndefined();
    await expect(scheduler.start()).rejects.toThrow('already running');
  });

  it('two starts at once: the second is refused', async () => {
    const { scheduler } = make({ jobstores: { default: { type: 'memory' } } });
    const first = scheduler.start();
    await expect(scheduler.start()).rejects.toThrow('already starting');
    await first;
    expect(scheduler.state).toBe('running');
  });
});
