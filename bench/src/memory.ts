import { MemoryJobStore } from '@jobstore/store-memory';
import { fmt, heapUsed, machine, publish, rate, time } from './measure.js';

/**
 * The memory store at 10k, 100k and 1M jobs: add rate, heap per job, and the latency of the
 * calls a scheduler makes on every wake (next run time, due query, claim, release), plus the
 * rate at which 10,000 jobs due at once can be claimed and released.
 * `--quick` stops at 100k; `--write` writes results/memory.md.
 */
const quick = process.argv.includes('--quick');
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const T0 = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;
const DUE = 10_000;

interface Row {
  jobs: number;
  addRate: number;
  heapPerJob: number;
  nextRun: Awaited<ReturnType<typeof time>>;
  due100: Awaited<ReturnType<typeof time>>;
  acquire100: Awaited<ReturnType<typeof time>>;
  release: Awaited<ReturnType<typeof time>>;
  drainRate: number;
}

async function measure(jobs: number): Promise<Row> {
  const before = heapUsed();
  const store = new MemoryJobStore();
  // The first DUE jobs are due at T0 + i ms; the rest are spread over the following day.
  const timeOf = (i: number): Date => new Date(i < DUE ? T0 + i : T0 + DUE + ((i * 7919) % DAY));
  const addStart = performance.now();
  for (let start = 0; start < jobs; start += 1000) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(jobs, start + 1000); i++) {
      batch.push(store.addJob({ id: `job-${i}`, nextRunTime: timeOf(i), data: { task: 'reports:send', args: [i], kwargs: { to: 'ops' } } }));
    }
    await Promise.all(batch);
  }
  const addRate = jobs / ((performance.now() - addStart) / 1000);
  const heapPerJob = (heapUsed() - before) / jobs;

  const nextRun = await time(2000, () => store.getNextRunTime());
  const due100 = await time(500, () => store.getDueJobs(new Date(T0 + 99)));
  // Claim the 100 earliest, then release them due again, so every claim finds the same work.
  const now = new Date(T0 + 99);
  let claimed: { id: string }[] = [];
  const acquire100 = await time(500, async () => {
    claimed = await store.acquireDueJobs({ owner: 'bench', now, leaseMs: 30_000, limit: 100 });
    await Promise.all(claimed.map((job) => store.releaseJob(job.id, 'bench', { nextRunTime: new Date(T0) })));
  });
  const release = await time(500, async () => {
    claimed = await store.acquireDueJobs({ owner: 'bench', now, leaseMs: 30_000, limit: 1 });
    const [job] = claimed;
    if (job !== undefined) await store.releaseJob(job.id, 'bench', { nextRunTime: new Date(T0) });
  });

  // 10,000 due at once: claim in batches of 100 and move each to tomorrow, as a scheduler does.
  const drainNow = new Date(T0 + DUE);
  const drainStart = performance.now();
  let drained = 0;
  for (;;) {
    const batch = await store.acquireDueJobs({ owner: 'bench', now: drainNow, leaseMs: 30_000, limit: 100 });
    if (batch.length === 0) break;
    await Promise.all(batch.map((job) => store.releaseJob(job.id, 'bench', { nextRunTime: new Date(T0 + 2 * DAY) })));
    drained += batch.length;
  }
  if (drained !== DUE) throw new Error(`drained ${drained} jobs, expected ${DUE}`);
  const drainRate = DUE / ((performance.now() - drainStart) / 1000);
  await store.close();
  return { jobs, addRate, heapPerJob, nextRun, due100, acquire100, release, drainRate };
}

const rows: Row[] = [];
for (const jobs of sizes) {
  rows.push(await measure(jobs));
  console.error(`measured ${jobs.toLocaleString('en-US')} jobs`);
}

const table = [
  '| jobs | add | heap per job | getNextRunTime p50 / p99 | getDueJobs (100 due) p50 / p99 | claim + release 100 p50 / p99 | claim + release 1 p50 / p99 | 10k due: claimed and released |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows
    .map((r) =>
      [
        r.jobs.toLocaleString('en-US'),
        rate(r.addRate),
        `${Math.round(r.heapPerJob)} B`,
        `${fmt(r.nextRun.median)} / ${fmt(r.nextRun.p99)}`,
        `${fmt(r.due100.median)} / ${fmt(r.due100.p99)}`,
        `${fmt(r.acquire100.median)} / ${fmt(r.acquire100.p99)}`,
        `${fmt(r.release.median)} / ${fmt(r.release.p99)}`,
        rate(r.drainRate),
      ].join(' | '),
    )
    .map((line) => `| ${line} |`),
].join('\n');

const report = [
  '# Memory store',
  '',
  'Made by `pnpm --filter @jobstore/bench bench:memory` (from the repository root), which builds and runs',
  '`node --expose-gc bench/dist/memory.js --write`. One process, one store, no concurrency; each latency is',
  'the p50 / p99 of 500 to 2,000 calls after a warm-up. Absolute times are noisy; the shape across sizes is the point.',
  '',
  table,
  '',
  `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  '',
  'What the columns mean:',
  '- *add*: `addJob` calls per second, 1,000 in flight at a time (validation, encoding, index insert).',
  '- *heap per job*: V8 heap after a full GC, divided by the number of jobs; the job data is ~60 bytes of codec text.',
  '- *getDueJobs (100 due)*: the due query when 100 of the jobs are due; it walks only those 100.',
  '- *claim + release 100*: one `acquireDueJobs` of 100 jobs plus 100 `releaseJob` calls.',
  '- *10k due*: 10,000 jobs due at once, claimed 100 at a time and each released to a later time, as a',
  "  scheduler dispatches them: the store-side ceiling for the scheduler's dispatch rate (target: >= 18k/s).",
  '',
].join('\n');
publish('memory', report);
