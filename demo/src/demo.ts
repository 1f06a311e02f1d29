import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JobRecord } from '@jobstore/core';
import { SqlJobStore } from '@jobstore/store-sql';

/**
 * A small scheduler loop on a SQLite file, driving the store directly: it adds three jobs on
 * first start, runs them as they come due, and on the next start finds them where it left them.
 */
const { values } = parseArgs({
  // `pnpm demo -- --seconds 5` passes the `--` along.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    db: { type: 'string', default: 'jobstore-demo.db' },
    seconds: { type: 'string' },
  },
});
const file = resolve(values.db);
const stopAfterMs = values.seconds === undefined ? Number.POSITIVE_INFINITY : Number(values.seconds) * 1000;
const owner = `demo-${process.pid}`;
const store = new SqlJobStore({ url: `sqlite:${file}`, namespace: 'demo_jobs' });

const clock = (date: Date | null): string => (date === null ? 'paused' : date.toISOString().slice(11, 23));

function show(jobs: readonly JobRecord[]): void {
  for (const job of jobs) {
    const every = typeof job.data['everyMs'] === 'number' ? `every ${job.data['everyMs'] / 1000} s` : 'once';
    console.log(`  ${job.id.padEnd(10)} next run ${clock(job.nextRunTime)}  ${every.padEnd(11)} runs so far: ${String(job.data['runs'])}`);
  }
}

const existing = await store.getAllJobs();
if (existing.length > 0) {
  console.log(`Found ${existing.length} jobs in ${file} from an earlier run:`);
  show(existing);
} else {
  const now = Date.now();
  for (const [id, everyMs, firstInMs] of [['heartbeat', 2000, 500], ['report', 5000, 3000], ['cleanup', null, 7000]] as const) {
    await store.addJob({ id, nextRunTime: new Date(now + firstInMs), data: { task: id, everyMs, runs: 0 } });
  }
  console.log(`Added 3 jobs to ${file}:`);
  show(await store.getAllJobs());
}
console.log('Running them as they come due (Ctrl-C to stop; the jobs stay in the file).');

let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
});
const started = Date.now();
while (!stopping && Date.now() - started < stopAfterMs) {
  const now = new Date();
  for (const job of await store.acquireDueJobs({ owner, now, leaseMs: 30_000, limit: 100 })) {
    const runs = Number(job.data['runs']) + 1;
    const everyMs = job.data['everyMs'];
    console.log(`[${clock(now)}] ran ${job.id} (run #${runs})`);
    if (typeof everyMs === 'number') {
      await store.releaseJob(job.id, owner, { nextRunTime: new Date(now.getTime() + everyMs), data: { ...job.data, runs } });
    } else {
      await store.releaseJob(job.id, owner, { remove: true });
    }
  }
  const next = await store.getNextRunTime();
  const wait = next === null ? 1000 : Math.min(1000, Math.max(10, next.getTime() - Date.now()));
  await new Promise((resolve) => setTimeout(resolve, wait));
}

console.log('Stopped. Jobs left in the store:');
show(await store.getAllJobs());
console.log('Run the same command again: they are still there.');
await store.close();
