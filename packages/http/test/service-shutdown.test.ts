import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ShutdownTimeoutError, startService } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { describeRun } from '../src/shutdown.js';

const dir = mkdtempSync(join(tmpdir(), 'jobstore-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A task that runs until the test lets it finish (the async executor runs it in this process).
const held = globalThis as { releaseHeld?: () => void };
writeFileSync(join(dir, 'tasks.mjs'), 'export function held() { return new Promise((resolve) => { globalThis.releaseHeld = resolve; }); }\n');

describe('RunningService.close', () => {
  it('rejects with ShutdownTimeoutError naming the runs still going on, and the shutdown goes on once they finish', async () => {
    const config = loadConfig(
      { SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, SCHEDULER_API_ENABLED: false, TASKS: ['./tasks.mjs'], JOBS: [{ id: 'slow', func: './tasks.mjs:held', trigger: 'date' }] },
      {},
    );
    const service = await startService(config, { baseDir: dir, logger: false });
    await vi.waitFor(() => expect(held.releaseHeld).toBeDefined(), { timeout: 10_000, interval: 10 });
    const [run] = service.scheduler.runningJobs();
    expect(run).toMatchObject({ jobId: 'slow', jobstore: 'default' });
    const closing = service.close({ timeoutMs: 200 });
    expect(service.close()).toBe(closing);
    const error = await closing.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShutdownTimeoutError);
    expect((error as ShutdownTimeoutError).message).toBe('shutdown did not finish within 0.2 s; 1 job run(s) still going on: "slow"');
    expect((error as ShutdownTimeoutError).runs).toStrictEqual([run]);
    held.releaseHeld?.();
    await vi.waitFor(() => expect(service.scheduler.state).toBe('shut down'), { timeout: 10_000, interval: 10 });
    await vi.waitFor(() => expect(service.scheduler.runningJobs()).toStrictEqual([]), { timeout: 10_000, interval: 10 });
  });

  it('resolves when the runs finish within the timeout taken from SCHEDULER_SHUTDOWN_TIMEOUT', async () => {
    delete held.releaseHeld;
    const config = loadConfig(
      {
        SCHEDULER_JOBSTORES: { default: { type: 'memory' } },
        SCHEDULER_API_ENABLED: false,
        SCHEDULER_SHUTDOWN_TIMEOUT: 600,
        TASKS: ['./tasks.mjs'],
        JOBS: [{ id: 'slow', func: './tasks.mjs:held', trigger: 'date' }],
      },
      {},
    );
    const service = await startService(config, { baseDir: dir, logger: false });
    await vi.waitFor(() => expect(held.releaseHeld).toBeDefined(), { timeout: 10_000, interval: 10 });
    const closing = service.close();
    setTimeout(() => held.releaseHeld?.(), 100);
    await closing;
    expect(service.scheduler.state).toBe('shut down');
  });
});

describe('Scheduler.runningJobs and describeRun', () => {
  it('list each run going on, oldest first, with its fire time and since when it runs', async () => {
    const scheduler = new Scheduler({ jobstores: { default: { type: 'memory' } }, timezone: 'UTC' });
    const releases: (() => void)[] = [];
    scheduler.registerTask('hold', () => new Promise<void>((resolve) => releases.push(resolve)));
    await scheduler.start();
    try {
      await scheduler.addJob({ id: 'early', func: 'hold', trigger: 'date', runDate: new Date('2099-01-01T00:00:00Z') });
      await scheduler.addJob({ id: 'late', func: 'hold', trigger: 'date', runDate: new Date('2099-01-01T00:00:00Z') });
      const before = Date.now();
      const early = scheduler.runJob('early');
      await vi.waitFor(() => expect(releases).toHaveLength(1), { timeout: 10_000, interval: 10 });
      const late = scheduler.runJob('late');
      await vi.waitFor(() => expect(releases).toHaveLength(2), { timeout: 10_000, interval: 10 });
      const runs = scheduler.runningJobs();
      expect(runs.map((run) => [run.jobId, run.jobstore])).toStrictEqual([
        ['early', 'default'],
        ['late', 'default'],
      ]);
      expect(runs[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(runs[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[0]!.startedAt.getTime());
      // runJob runs "now": its fire time is when it was asked for.
      expect(runs[1]!.scheduledRunTime.getTime()).toBeGreaterThanOrEqual(before);
      expect(describeRun(runs[1]!, new Date(runs[1]!.startedAt.getTime() + 65_000))).toBe(`"late" in store "default", running since ${runs[1]!.startedAt.toISOString().slice(0, 19)}Z (65 s)`);
      for (const release of releases) release();
      await Promise.all([early, late]);
      expect(scheduler.runningJobs()).toStrictEqual([]);
    } finally {
      for (const release of releases) release();
      await scheduler.shutdown();
    }
  });

  it('names the fire time of a run that started late', () => {
    const run = { jobId: 'report', jobstore: 'sql', scheduledRunTime: new Date('2030-01-01T09:00:00Z'), startedAt: new Date('2030-01-01T09:00:20.500Z') };
    expect(describeRun(run, new Date('2030-01-01T09:01:00Z'))).toBe('"report" in store "sql", running since 2030-01-01T09:00:20Z (40 s), fire time 2030-01-01T09:00:00Z');
  });
});
