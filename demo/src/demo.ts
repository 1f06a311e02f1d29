import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Scheduler, type Job } from '@jobstore/scheduler';

/**
 * The scheduler on a SQLite file: on first start it adds three jobs (an interval, a cron and a
 * one-off date job), runs them as they come due, and on the next start finds them where it left
 * them.
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
const scheduler = new Scheduler({
  jobstores: { default: { type: 'sql', url: `sqlite:${file}`, namespace: 'demo_jobs' } },
  timezone: 'UTC',
});

const clock = (date: Date | null): string => (date === null ? 'paused' : date.toISOString().slice(11, 23));
const runs = new Map<string, number>();
const task = (name: string) => (): void => {
  const count = (runs.get(name) ?? 0) + 1;
  runs.set(name, count);
  console.log(`[${clock(new Date())}] ran ${name} (run #${count} in this process)`);
};
scheduler.registerTask('demo:heartbeat', task('heartbeat'));
scheduler.registerTask('demo:report', task('report'));
scheduler.registerTask('demo:cleanup', task('cleanup'));

function show(jobs: readonly Job[]): void {
  for (const job of jobs) console.log(`  ${job.id.padEnd(10)} next run ${clock(job.nextRunTime)}  ${job.trigger.toString()}`);
}

const existing = await scheduler.getJobs();
if (existing.length > 0) {
  console.log(`Found ${existing.length} jobs in ${file} from an earlier run:`);
  show(existing);
} else {
  await scheduler.addJob({ id: 'heartbeat', func: 'demo:heartbeat', trigger: 'interval', seconds: 2, startDate: new Date(Date.now() + 500) });
  await scheduler.addJob({ id: 'report', func: 'demo:report', trigger: 'cron', second: '*/5' });
  await scheduler.addJob({ id: 'cleanup', func: 'demo:cleanup', trigger: 'date', runDate: new Date(Date.now() + 7000) });
  console.log(`Added 3 jobs to ${file}:`);
  show(await scheduler.getJobs());
}
console.log('Running them as they come due (Ctrl-C to stop; the jobs stay in the file).');

if (values.seconds !== undefined) setTimeout(() => void scheduler.shutdown(), Number(values.seconds) * 1000);
await scheduler.start();
// Jobs left in the store are listed before shutdown closes it.
process.once('SIGINT', () => void stop());
let stopped = false;
async function stop(): Promise<void> {
  if (stopped) return;
  stopped = true;
  await scheduler.shutdown();
}
scheduler.on('scheduler_shutdown', () => undefined);
await scheduler.run({ signals: false });

const after = new Scheduler({ jobstores: { default: { type: 'sql', url: `sqlite:${file}`, namespace: 'demo_jobs' } }, timezone: 'UTC' });
// Started paused, it runs nothing: a scheduler that only looks (shutdown before start is refused, as in APScheduler).
await after.start({ paused: true });
console.log('Stopped. Jobs left in the store:');
show(await after.getJobs());
await after.shutdown();
console.log('Run the same command again: they are still there.');
