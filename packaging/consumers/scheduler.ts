// The scheduler on the embedded default (a SQLite file): a job added, listed, run once, gone.
import { Scheduler } from '@jobstore/scheduler';

const scheduler = new Scheduler({ jobstores: { default: { type: 'sql', url: 'sqlite:jobs.db' } } });
const ran: string[] = [];
scheduler.registerTask('packaging:greet', async (name: string) => {
  ran.push(`hello ${name}`);
  return ran.length;
});
const executed = new Promise<string>((resolve, reject) => {
  scheduler.on('job_executed', (event) => resolve(event.jobId));
  scheduler.on('job_error', (event) => reject(event.error));
});
await scheduler.start();
const job = await scheduler.addJob({ id: 'greet', func: 'packaging:greet', args: ['npm'], trigger: 'date', runDate: new Date(Date.now() + 200), replaceExisting: true });
const listed = (await scheduler.getJobs()).map((each) => each.id);
const jobId = await executed;
// The run's release (which deletes a job with no fire time left) follows the event.
let left = (await scheduler.getJobs()).length;
for (const deadline = Date.now() + 10_000; left > 0 && Date.now() < deadline; left = (await scheduler.getJobs()).length) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await scheduler.shutdown();
if (job.id !== 'greet' || !listed.includes('greet') || jobId !== 'greet' || ran[0] !== 'hello npm' || left !== 0) {
  throw new Error(`packaging check failed: ${JSON.stringify({ listed, jobId, ran, left })}`);
}
console.log(JSON.stringify({ steps: ['added', 'listed', 'ran', 'removed when done'] }));
