import type { Contender, ContenderClient } from './contender.js';
import { Consumers } from './fleet.js';
import { percentile } from '../measure.js';
import { tally } from './ledger.js';

/** Sizes of one run: `--quick` keeps the whole comparison under three minutes. */
export interface Sizes {
  readonly recurring: readonly number[];
  readonly dispatchJobs: number;
  readonly dispatchProcesses: readonly number[];
  readonly delayJobs: number;
  readonly delayWindowMs: number;
  readonly growth: readonly number[];
  readonly growthSamples: number;
  /** How long to look again for late repeats, and how far ahead the fire-delay jobs start. */
  readonly settleMs: number;
  readonly leadMs: number;
}

export const FULL: Sizes = {
  recurring: [1_000, 10_000, 100_000],
  dispatchJobs: 10_000,
  dispatchProcesses: [1, 4],
  delayJobs: 1_000,
  delayWindowMs: 60_000,
  growth: [10_000, 1_000_000],
  growthSamples: 50,
  settleMs: 1500,
  leadMs: 3000,
};
export const QUICK: Sizes = {
  recurring: [200],
  dispatchJobs: 500,
  dispatchProcesses: [1, 4],
  delayJobs: 100,
  delayWindowMs: 2_000,
  growth: [1_000, 5_000],
  growthSamples: 5,
  settleMs: 300,
  leadMs: 1000,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const now = (): number => performance.timeOrigin + performance.now();

/** Workload 1: schedule `count` recurring jobs through the public API; the time, and what the server then holds. */
export interface RecurringResult {
  readonly count: number;
  readonly seconds: number;
  readonly bytes: number | null;
}

export async function recurring(client: ContenderClient, count: number): Promise<RecurringResult> {
  await client.reset();
  const start = now();
  await client.scheduleRecurring(count);
  const seconds = (now() - start) / 1000;
  return { count, seconds, bytes: await client.size() };
}

/** Workload 2: `jobs` one-off jobs already due when `processes` consumers start; fires per second, every one counted. */
export interface DispatchResult {
  readonly processes: number;
  readonly jobs: number;
  readonly perSecond: number;
  readonly duplicates: number;
  readonly missed: number;
}

export async function dispatch(contender: Contender, client: ContenderClient, jobs: number, processes: number, settleMs: number): Promise<DispatchResult> {
  await client.reset();
  const consumers = await Consumers.start(contender, processes, client);
  try {
    const due = Date.now() - 1000;
    const ids = Array.from({ length: jobs }, (_, i) => `due-${i}`);
    await client.addOneOff(ids.map((id) => ({ id, at: due })));
    // Consumers that hear of each add (LISTEN/NOTIFY, pub/sub, watches) digest them first, so
    // the rate is that of running jobs, not of catching up on news of them.
    await sleep(settleMs);
    await consumers.go();
    const runs = await consumers.until((list) => list.length >= jobs, 180_000);
    // From the first start to the last: how long the consumers take to start up (a worker's
    // connections, a first poll) is the fire-delay workload's business, not this one's.
    const first = runs.reduce((min, run) => Math.min(min, run.at), Number.POSITIVE_INFINITY);
    const last = runs.reduce((max, run) => Math.max(max, run.at), 0);
    // Repeats come late, if at all: look once more before counting.
    await sleep(settleMs);
    const counted = tally(ids, consumers.runs());
    const seconds = (last - first) / 1000;
    return { processes, jobs, perSecond: counted.missed >= jobs - 1 ? 0 : (jobs - counted.missed - 1) / seconds, duplicates: counted.duplicates, missed: counted.missed };
  } finally {
    await consumers.stop();
  }
}

/** Workload 3: `jobs` one-off jobs due at random moments over a window; the delay from each fire time to its start. */
export interface DelayResult {
  readonly jobs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly missed: number;
  readonly duplicates: number;
}

export async function fireDelay(contender: Contender, client: ContenderClient, jobs: number, windowMs: number, sizes: Pick<Sizes, 'settleMs' | 'leadMs'>): Promise<DelayResult> {
  await client.reset();
  const consumers = await Consumers.start(contender, 1, client);
  try {
    await consumers.go();
    const begin = Date.now() + sizes.leadMs;
    const planned = Array.from({ length: jobs }, (_, i) => ({ id: `at-${i}`, at: begin + Math.floor(Math.random() * windowMs) })).sort((a, b) => a.at - b.at);
    await client.addOneOff(planned);
    await consumers.until((list) => list.length >= jobs, begin + windowMs - Date.now() + 30_000);
    await sleep(sizes.settleMs);
    const counted = tally(
      planned.map((job) => job.id),
      consumers.runs(),
    );
    const delays = planned
      .flatMap((job) => {
        const at = counted.first.get(job.id);
        return at === undefined ? [] : [at - job.at];
      })
      .sort((a, b) => a - b);
    return { jobs, p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: delays[delays.length - 1] ?? Number.NaN, missed: counted.missed, duplicates: counted.duplicates };
  } finally {
    await consumers.stop();
  }
}

/**
 * Workload 4: with `backlog` jobs due tomorrow in the store, jobs added due now, one at a time:
 * the time from the add to the job starting, p50 / p99. What it costs a scheduler to find the
 * due job among many that are not.
 */
export interface GrowthResult {
  readonly backlog: number;
  readonly loadSeconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly missed: number;
}

/** How long a probe of workload 4 is waited for before it counts as missed. */
export const PICKUP_WAIT_MS = 10_000;

export async function growth(contender: Contender, client: ContenderClient, backlog: number, samples: number, settleMs: number): Promise<GrowthResult> {
  await client.reset();
  const loadStart = now();
  await client.bulkLoad(backlog, Date.now() + 86_400_000, 1);
  const loadSeconds = (now() - loadStart) / 1000;
  const consumers = await Consumers.start(contender, 1, client);
  try {
    await consumers.go();
    await sleep(settleMs);
    const latencies: number[] = [];
    let missed = 0;
    let missedInARow = 0;
    for (let i = 0; i < samples; i++) {
      // A contender that has not picked up three probes in a row within the wait will not pick
      // up the rest either: they count as missed, and the run moves on.
      if (missedInARow >= 3) {
        missed++;
        continue;
      }
      const id = `probe-${i}`;
      const added = now();
      await client.addOneOff([{ id, at: Date.now() }]);
      const runs = await consumers.until((list) => list.some((run) => run.id === id), PICKUP_WAIT_MS);
      const run = runs.find((r) => r.id === id);
      if (run === undefined) {
        missed++;
        missedInARow++;
      } else {
        latencies.push(run.at - added);
        missedInARow = 0;
      }
      await sleep(50);
    }
    latencies.sort((a, b) => a - b);
    return { backlog, loadSeconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), missed };
  } finally {
    await consumers.stop();
  }
}
