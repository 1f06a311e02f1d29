/**
 * One scheduler process of the harness: opens the store it is given, runs the ledger task for
 * every job it claims, writes down every release the store confirmed, and on SIGTERM shuts down
 * (waiting for its runs) and prints what its scheduler reported, as one JSON line.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scheduler, type SchedulerEventType } from '@jobstore/scheduler';
import { openStore, type StoreConfig } from './open-store.js';
import { logReleases } from './release-log.js';

/** What the harness passes in JOBSTORE_WORKER. */
export interface WorkerConfig {
  readonly store: StoreConfig;
  readonly leaseMs: number;
}

/** What a worker prints when it stops. */
export interface WorkerReport {
  readonly pid: number;
  readonly events: Partial<Record<SchedulerEventType, number>>;
  /** Ids of records the store or the scheduler reported as unusable. */
  readonly reported: readonly string[];
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env['JOBSTORE_WORKER'] ?? '{}') as WorkerConfig;
  const ledgerDir = process.env['JOBSTORE_LEDGER_DIR'] ?? '.';
  const scheduler = new Scheduler({
    // Releases are written down beside the ledger: a run whose job was released before the kill was not in flight.
    jobstores: { default: logReleases(await openStore(config.store), join(ledgerDir, `released-${process.pid}.tsv`)) },
    leaseMs: config.leaseMs,
    // Every fire time must run, however late (a process that died held it until its lease ended).
    jobDefaults: { misfireGraceTime: null, coalesce: false, maxInstances: 1 },
    timezone: 'UTC',
  });
  await scheduler.importTasks(new URL('./ledger-task.js', import.meta.url), { prefix: 'ledger' });
  const events: Partial<Record<SchedulerEventType, number>> = {};
  const reported = new Set<string>();
  // With JOBSTORE_RELIABILITY_TRACE=1 every event is written down, to explain a failed check.
  const trace = process.env['JOBSTORE_RELIABILITY_TRACE'] === '1' ? join(ledgerDir, `events-${process.pid}.log`) : undefined;
  scheduler.addListener((event) => {
    if (trace !== undefined)
      appendFileSync(trace, `${Date.now()} ${JSON.stringify(event, (key, value: unknown) => (key === 'error' && value instanceof Error ? `${value.name}: ${value.message}` : value))}\n`);
    events[event.type] = (events[event.type] ?? 0) + 1;
    if ((event.type === 'jobstore_error' || event.type === 'job_error') && event.jobId !== null && event.jobId !== undefined) reported.add(event.jobId);
  });
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void scheduler.shutdown({ wait: true }).then(() => {
      const report: WorkerReport = { pid: process.pid, events, reported: [...reported] };
      process.stdout.write(`report ${JSON.stringify(report)}\n`, () => process.exit(0));
    });
  });
  await scheduler.start();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
