import { DateTrigger, type JobStore } from '@jobstore/core';
import { currentJob, Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { RedisJobStore } from '@jobstore/store-redis';
import { SqlJobStore } from '@jobstore/store-sql';
import { fmt, machine, percentile, publish, rate } from './measure.js';
import { PG_URL as pgUrl, REDIS_URL as redisUrl } from './urls.js';

/**
 * The scheduler end to end, one process:
 * - start delay: 1,000 date jobs due at random moments over a window (60 s; `--quick`: 10 s),
 *   the delay from each fire time to the task starting, p50 / p99 / max;
 * - dispatch: 10,000 jobs all due at once, fires per second until the last one started.
 * Every run is counted: each job must run exactly once.
 */
const quick = process.argv.includes('--quick');
const WINDOW = quick ? 10_000 : 60_000;
const DELAY_JOBS = 1000;
const DISPATCH_JOBS = 10_000;

interface Backend {
  readonly label: string;
  open(namespace: string): JobStore;
}

const backends: Backend[] = [
  { label: 'memory', open: () => new MemoryJobStore() },
  { label: 'PostgreSQL', open: (namespace) => new SqlJobStore({ url: pgUrl, namespace, poolSize: 8 }) },
  { label: 'Redis', open: (namespace) => new RedisJobStore({ url: redisUrl, namespace, prefix: 'jobstore-bench' }) },
];

async function withScheduler<T>(store: JobStore, work: (scheduler: Scheduler, runs: Map<string, number[]>) => Promise<T>): Promise<T> {
  await store.removeAllJobs();
  const scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC', batchSize: 500 });
  const runs = new Map<string, number[]>();
  scheduler.registerTask('probe', () => {
    const started = performance.timeOrigin + performance.now();
    const job = currentJob();
    if (job === undefined) return;
    const list = runs.get(job.jobId) ?? [];
    list.push(started - job.scheduledRunTime.getTime());
    runs.set(job.jobId, list);
  });
  try {
    return await work(scheduler, runs);
  } finally {
    await scheduler.shutdown({ wait: true });
  }
}

async function startDelay(backend: Backend): Promise<{ p50: number; p99: number; max: number }> {
  return withScheduler(backend.open('bench_delay'), async (scheduler, runs) => {
    const begin = Date.now() + 2000;
    for (let i = 0; i < DELAY_JOBS; i++) {
      await scheduler.addJob({ id: `d${i}`, func: 'probe', trigger: new DateTrigger({ runDate: new Date(begin + Math.floor(Math.random() * WINDOW)) }), misfireGraceTime: null });
    }
    await scheduler.start();
    while ([...runs.values()].length < DELAY_JOBS) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const delays = [...runs.values()].flat().sort((a, b) => a - b);
    if (delays.length !== DELAY_JOBS) throw new Error(`${backend.label}: ${delays.length} runs for ${DELAY_JOBS} jobs`);
    return { p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: delays[delays.length - 1] ?? Number.NaN };
  });
}

async function dispatch(backend: Backend): Promise<number> {
  return withScheduler(backend.open('bench_dispatch'), async (scheduler, runs) => {
    // All due already when the scheduler starts: the clock runs from start() to the last task starting.
    const due = new Date(Date.now() - 1000);
    for (let i = 0; i < DISPATCH_JOBS; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, k) => scheduler.addJob({ id: `n${i + k}`, func: 'probe', trigger: new DateTrigger({ runDate: due }), misfireGraceTime: null })));
    }
    const started = Date.now();
    await scheduler.start();
    while (runs.size < DISPATCH_JOBS) await new Promise((resolve) => setTimeout(resolve, 5));
    const last = Math.max(...[...runs.values()].flat()) + due.getTime();
    const seconds = (last - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const twice = [...runs.values()].filter((list) => list.length > 1).length;
    if (runs.size !== DISPATCH_JOBS || twice > 0) throw new Error(`${backend.label}: ${runs.size} of ${DISPATCH_JOBS} jobs ran, ${twice} twice`);
    return DISPATCH_JOBS / seconds;
  });
}

const rows: string[] = [];
for (const backend of backends) {
  console.error(`measuring ${backend.label}…`);
  const delay = await startDelay(backend);
  const perSecond = await dispatch(backend);
  rows.push(`| ${backend.label} | ${fmt(delay.p50)} | ${fmt(delay.p99)} | ${fmt(delay.max)} | ${rate(perSecond)} |`);
}

const report = [
  '# Scheduler',
  '',
  `Made by \`pnpm --filter @jobstore/bench bench:scheduler\` (from the repository root), which builds and runs \`node bench/dist/scheduler.js${quick ? ' --quick' : ''} --write\`.`,
  'One scheduler process, the async executor, a task that records when it started.',
  '',
  `| store | start delay p50 | p99 | max | 10,000 due at once: fires per second |`,
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  `Start delay: ${DELAY_JOBS.toLocaleString('en-US')} date jobs due at random moments over ${WINDOW / 1000} s; the delay is from each`,
  'fire time to the task starting. Dispatch: 10,000 jobs already due when the scheduler starts; the rate is',
  '10,000 over the time from start() until the last task started. Each run counted: every job ran exactly once.',
  '',
  `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '## Notes',
  '',
  '- Targets: start delay p99 <= 3 ms in memory and <= 25 ms on PostgreSQL; 10k due at once >= 18k/s from',
  '  memory, >= 20k/s from Redis and >= 13k/s from PostgreSQL.',
  '- The scheduler sleeps until the next run time and wakes 2 ms early, stepping the rest on the event loop:',
  '  timers alone fire a millisecond or two late. PostgreSQL wake-ups are pushed (LISTEN/NOTIFY), not polled.',
  '- Dispatch is rounds of one claim (up to 500 jobs, one statement or script) and one batched release,',
  '  taken in turn: on PostgreSQL two commits per 500 jobs. Runs of this benchmark have measured 10.9k to',
  "  13.7k/s there (a shared 2-core machine): at the target, not clearly above it. Running a round's claim",
  "  beside the previous round's release was measured slower (the claim takes the scheduler's own",
  '  unreleased leases again and contends for their row locks). What would add margin: releasing and',
  '  claiming in one statement per round (a contract addition), so a round is one commit.',
  '',
].join('\n');
publish('scheduler', report);
