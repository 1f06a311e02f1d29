import type { JobStore } from '@jobstore/core';
import { fmt, rate, time, type Timing } from './measure.js';

/**
 * One benchmark for every store backend: add rate; claim-and-release throughput of 10,000 due
 * jobs with 1, 4 and 8 concurrent acquirers (each its own store and connections), checked for
 * exactly-once; next-run and claim latency at 10k and at BIG jobs.
 */
/** The encoded data (the codec's JSON, as the stores write it) of every job a bulkInsert writes. */
export const BULK_DATA = '{"v":1,"d":{"task":"reports:send","args":[1]}}';

export interface BenchBackend {
  readonly label: string;
  /** A new store instance with its own connections (`connections` where the backend pools them). */
  open(connections: number): JobStore;
  /** Deletes every job of the benchmark's namespace. */
  reset(): Promise<void>;
  /** Writes `count` jobs straight into storage: ids `<prefix><i>`, job i due at `first` + i × `step` ms. */
  bulkInsert(prefix: string, count: number, first: number, step: number): Promise<void>;
  /** Bytes the server holds for the benchmark's namespace (tables and indexes, keys, znodes), where it can tell. */
  size?(): Promise<number>;
  /** Frees the backend's own connections. */
  close(): Promise<void>;
}

export interface StoreResult {
  readonly backend: string;
  readonly add: number;
  readonly throughput: Record<number, number>;
  readonly nextRun: Record<number, Timing>;
  readonly claim: Record<number, Timing>;
}

export const T0 = Date.UTC(2030, 0, 1);
const DUE = 10_000;

/** Claims everything due at `now` with the stores at once, releasing each batch to later in one call. */
async function drain(stores: readonly JobStore[], now: Date): Promise<{ perSecond: number; claims: Map<string, number> }> {
  const claims = new Map<string, number>();
  const start = performance.now();
  await Promise.all(
    stores.map(async (store, w) => {
      const owner = `acquirer-${w}`;
      for (;;) {
        const batch = await store.acquireDueJobs({ owner, now, leaseMs: 60_000, limit: 100 });
        if (batch.length === 0) return;
        for (const job of batch) claims.set(job.id, (claims.get(job.id) ?? 0) + 1);
        const results = await store.releaseJobs(
          owner,
          batch.map((job) => ({ id: job.id, nextRunTime: new Date(T0 + 86_400_000 * 2) })),
        );
        if (results.some((r) => r.error !== null)) throw new Error(`${owner}: a release failed`);
      }
    }),
  );
  return { perSecond: DUE / ((performance.now() - start) / 1000), claims };
}

export async function measureBackend(backend: BenchBackend, big: number, samples: number): Promise<StoreResult> {
  await backend.reset();
  const store = backend.open(8);
  await (store as { open?: () => Promise<void> }).open?.();

  const addStart = performance.now();
  for (let start = 0; start < DUE; start += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, DUE - start) }, (_, k) => store.addJob({ id: `job-${start + k}`, nextRunTime: new Date(T0 + start + k), data: { task: 'reports:send', args: [start + k] } })),
    );
  }
  const add = DUE / ((performance.now() - addStart) / 1000);

  const throughput: Record<number, number> = {};
  for (const acquirers of [1, 4, 8]) {
    await backend.reset();
    await backend.bulkInsert('job-', DUE, T0, 1);
    const stores = Array.from({ length: acquirers }, () => backend.open(Math.max(2, Math.ceil(16 / acquirers))));
    const { perSecond, claims } = await drain(stores, new Date(T0 + DUE));
    const twice = [...claims.values()].filter((n) => n > 1).length;
    if (claims.size !== DUE || twice > 0) throw new Error(`${backend.label}: ${claims.size} of ${DUE} jobs claimed, ${twice} twice`);
    throughput[acquirers] = perSecond;
    await Promise.all(stores.map((s) => s.close()));
  }

  // Latency: 10k jobs due now, and (second run) as many more due later, up to `big`.
  const nextRun: Record<number, Timing> = {};
  const claim: Record<number, Timing> = {};
  for (const rows of [DUE, big]) {
    await backend.reset();
    await backend.bulkInsert('job-', DUE, T0 + 1, 0);
    if (rows > DUE) await backend.bulkInsert('later-', rows - DUE, T0 + 86_400_000, 1);
    nextRun[rows] = await time(samples, () => store.getNextRunTime());
    // One scheduler wake: claim 10 due jobs and release them to later, so each claim finds others.
    let k = 0;
    claim[rows] = await time(Math.min(samples, DUE / 10 - 20), async () => {
      const jobs = await store.acquireDueJobs({ owner: 'w', now: new Date(T0 + 1), leaseMs: 60_000, limit: 10 });
      await store.releaseJobs(
        'w',
        jobs.map((job) => ({ id: job.id, nextRunTime: new Date(T0 + 2 + (k++ % 5)) })),
      );
    });
  }

  await store.close();
  await backend.reset();
  await backend.close();
  return { backend: backend.label, add, throughput, nextRun, claim };
}

/** The two tables of results. */
export function storeTables(results: readonly StoreResult[], big: number): string[] {
  const label = big.toLocaleString('en-US');
  return [
    '## Throughput',
    '',
    '| backend | add (16 in flight) | claim + release 10k due, 1 acquirer | 4 acquirers | 8 acquirers |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.backend} | ${rate(r.add)} | ${rate(r.throughput[1] ?? 0)} | ${rate(r.throughput[4] ?? 0)} | ${rate(r.throughput[8] ?? 0)} |`),
    '',
    'Each acquirer is its own store with its own connections; each claims 100 jobs per call and releases them to a',
    'later time with one releaseJobs call. Every run is checked: all 10,000 jobs claimed, none twice.',
    '',
    '## Latency as the jobs grow',
    '',
    `| backend | getNextRunTime p50 / p99, 10k jobs | ${label} jobs | claim 10 + release p50 / p99, 10k jobs | ${label} jobs |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...results
      .map((r) =>
        [r.backend, r.nextRun[DUE], r.nextRun[big], r.claim[DUE], r.claim[big]]
          .map((cell) => (typeof cell === 'string' ? cell : `${fmt(cell?.median ?? Number.NaN)} / ${fmt(cell?.p99 ?? Number.NaN)}`))
          .join(' | '),
      )
      .map((line) => `| ${line} |`),
    '',
    `Each time, 10,000 jobs are due; for the larger size, the rest are due a day later and are never read.`,
  ];
}
