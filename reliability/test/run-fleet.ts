import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobStore } from '@jobstore/core';
import { Scheduler } from '@jobstore/scheduler';
import { checkLedger, readLedger, type LedgerCheck } from '../src/ledger.js';
import { readReleases, releaseLags } from '../src/release-log.js';
import type { FleetPlan } from '../src/mode.js';
import { openStore, type StoreConfig } from '../src/open-store.js';
import { expectedRuns, planJobs, type PlannedJob } from '../src/schedule.js';
import { Fleet, type Crash } from './fleet.js';

/** What one run of a fleet came to. */
export interface FleetOutcome {
  readonly jobs: number;
  readonly check: LedgerCheck;
  readonly crashes: readonly Crash[];
  /** Job ids still in the store at the end (every planned job is done by then and removes itself). */
  readonly leftover: readonly string[];
  /** Ids the processes reported as unusable records. */
  readonly reported: ReadonlySet<string>;
  /** Scheduler events of every process that stopped cleanly, summed by type. */
  readonly events: Readonly<Record<string, number>>;
  readonly killed: number;
  /** For each run whose job its process released: ms from the run's start to the release, sorted. */
  readonly releaseLags: readonly number[];
  readonly seconds: number;
}

export interface FleetRun {
  readonly plan: FleetPlan;
  readonly config: StoreConfig;
  /** Called once the jobs are in, with the fleet and the window: injects the scenario's faults. */
  readonly during?: (fleet: Fleet, window: { start: number; end: number }) => Promise<void>;
  /** Called with the store before the fleet starts (to plant records). */
  readonly before?: (store: JobStore) => Promise<void>;
  /** Called with the store once the processes have stopped, before anything is cleaned up. */
  readonly after?: (store: JobStore) => Promise<void>;
  /** Ids the run planted on purpose and expects to find at the end. */
  readonly kept?: ReadonlySet<string>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Adds the jobs through a paused scheduler, as an application would, many at a time, those due
 * first first: where adding takes longer than the head start (10,250 jobs take ZooKeeper about
 * 15 s here), the recurring jobs, all due at the window's start, would otherwise come in last,
 * overdue by as many fire times as adding took, and run as one long backlog that a kill catches
 * whole; the runs would measure how long adding took, not what a crash repeats.
 */
async function addJobs(scheduler: Scheduler, planned: readonly PlannedJob[]): Promise<void> {
  const jobs = [...planned].sort((a, b) => (a.fireTimes[0] ?? 0) - (b.fireTimes[0] ?? 0));
  for (let i = 0; i < jobs.length; i += 200) {
    // The first fire time is given: a job added after its start must still run from there, not from now.
    await Promise.all(
      jobs
        .slice(i, i + 200)
        .map((job) => scheduler.addJob({ id: job.id, func: 'ledger:record', trigger: job.trigger, nextRunTime: new Date(job.fireTimes[0] ?? 0), misfireGraceTime: null, coalesce: false })),
    );
  }
}

/**
 * Runs a fleet of scheduler processes over the planned jobs and checks the ledger: starts the
 * processes, adds the jobs (their window starts two seconds after), injects faults, waits until
 * every fire time has run (or a deadline passes), waits once more for late repeats, stops the
 * processes and reads what ran.
 */
export async function runFleet(run: FleetRun): Promise<FleetOutcome> {
  const began = Date.now();
  const ledgerDir = mkdtempSync(join(tmpdir(), 'jobstore-ledger-'));
  const store = await openStore(run.config);
  const adder = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
  adder.registerTask('ledger:record', () => undefined);
  const fleet = new Fleet({ store: run.config, leaseMs: run.plan.leaseMs }, ledgerDir);
  try {
    await adder.start({ paused: true });
    await store.removeAllJobs();
    await run.before?.(store);
    await fleet.start(run.plan.processes);
    const start = Date.now() + 2000;
    const end = start + run.plan.windowMs;
    const jobs = planJobs(run.plan, start);
    await addJobs(adder, jobs);
    const expected = expectedRuns(jobs);
    const total = jobs.reduce((sum, job) => sum + job.fireTimes.length, 0);

    await run.during?.(fleet, { start, end });
    // Every fire time should have run shortly after the window; a killed process's jobs wait for its lease.
    const deadline = Math.max(Date.now(), end) + 2 * run.plan.leaseMs + 30_000;
    let check = checkLedger(expected, readLedger(ledgerDir), fleet.killed, readReleases(ledgerDir));
    while (check.missed.length > 0 && Date.now() < deadline && fleet.crashes.length === 0) {
      await sleep(250);
      check = checkLedger(expected, readLedger(ledgerDir), fleet.killed, readReleases(ledgerDir));
    }
    // Repeats come late (a lease must run out first): watch for them before stopping.
    await sleep(fleet.killed.size > 0 ? run.plan.leaseMs + 2000 : 1500);
    await fleet.stop();
    const ledger = readLedger(ledgerDir);
    const releases = readReleases(ledgerDir);
    check = checkLedger(expected, ledger, fleet.killed, releases);
    if (check.fireTimes !== total) throw new Error(`planned ${total} fire times, checked ${check.fireTimes}`);

    await run.after?.(store);
    const leftover = (await store.getAllJobs()).map((job) => job.id).filter((id) => !(run.kept?.has(id) ?? false));
    const reported = new Set(fleet.reports.flatMap((report) => report.reported));
    const events: Record<string, number> = {};
    for (const report of fleet.reports) for (const [type, count] of Object.entries(report.events)) events[type] = (events[type] ?? 0) + (count ?? 0);
    return {
      jobs: jobs.length,
      check,
      crashes: fleet.crashes,
      leftover,
      reported,
      events,
      killed: fleet.killed.size,
      releaseLags: releaseLags(ledger, releases),
      seconds: Math.round((Date.now() - began) / 1000),
    };
  } finally {
    if (fleet.size > 0) await fleet.stop(5000);
    await store.removeAllJobs().catch(() => undefined);
    await adder.shutdown({ wait: false });
    if (process.env['JOBSTORE_RELIABILITY_TRACE'] === '1') console.log(`[reliability] ledger and event traces kept in ${ledgerDir}`);
    else rmSync(ledgerDir, { recursive: true, force: true });
  }
}
