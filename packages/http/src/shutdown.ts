import type { RunningJob, Scheduler } from '@jobstore/scheduler';

/** Options of {@link RunningService.close}. */
export interface CloseOptions {
  /**
   * How long to wait for running jobs, in milliseconds, before giving up on them;
   * `Infinity` waits as long as they run. Default: the configuration's
   * `SCHEDULER_SHUTDOWN_TIMEOUT` (30 seconds).
   */
  readonly timeoutMs?: number;
}

/**
 * The service did not shut down in time: jobs were still running. The scheduler goes on
 * shutting down in the background (it still waits for them); a process that exits now abandons
 * them. An abandoned run that held its job's lease (max_instances 1, the default) leaves the
 * job claimed until the lease runs out; then another scheduler sharing the store, or this one
 * started again, may run that fire time again.
 */
export class ShutdownTimeoutError extends Error {
  /** The runs still going on when the time was up, oldest first. */
  readonly runs: readonly RunningJob[];
  readonly timeoutMs: number;

  constructor(timeoutMs: number, runs: readonly RunningJob[]) {
    const still = runs.length === 0 ? 'no job was running (the job stores did not close)' : `${runs.length} job run(s) still going on: ${runs.map((run) => JSON.stringify(run.jobId)).join(', ')}`;
    super(`shutdown did not finish within ${seconds(timeoutMs)}; ${still}`);
    this.name = 'ShutdownTimeoutError';
    this.timeoutMs = timeoutMs;
    this.runs = runs;
  }
}

/** `30 s`, `1.5 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** An ISO 8601 time to the second: `2026-12-03T09:00:00Z`. */
const instant = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** One run as a line: `"report" in store "default", running since 2026-12-03T09:00:00Z (35 s)`, and its fire time when it started late. */
export function describeRun(run: RunningJob, now: Date = new Date()): string {
  const job = `${JSON.stringify(run.jobId)} in store ${JSON.stringify(run.jobstore)}`;
  // The fire time only where it tells more than the start: a run that started late, or after others.
  const late = Math.abs(run.startedAt.getTime() - run.scheduledRunTime.getTime()) >= 1000;
  const fireTime = late ? `, fire time ${instant(run.scheduledRunTime)}` : '';
  return `${job}, running since ${instant(run.startedAt)} (${seconds(Math.max(0, Math.round((now.getTime() - run.startedAt.getTime()) / 1000) * 1000))})${fireTime}`;
}

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Stops serving, then shuts the scheduler down, waiting for running jobs up to `timeoutMs`;
 * then rejects with ShutdownTimeoutError naming the runs still going on.
 */
export async function closeWithin(stopServing: () => Promise<void>, scheduler: Scheduler, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const shutdown = (async () => {
    await stopServing();
    await scheduler.shutdown();
  })();
  // After a timeout the shutdown goes on unawaited: its failure must not become an unhandled rejection.
  shutdown.catch(() => undefined);
  const timedOut = new Promise<never>((_, reject) => {
    if (timeoutMs === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(() => reject(new ShutdownTimeoutError(timeoutMs, scheduler.runningJobs())), Math.min(Math.max(0, timeoutMs), MAX_DELAY));
  });
  try {
    await Promise.race([shutdown, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
