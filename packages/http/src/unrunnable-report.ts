import type { Job, Scheduler } from '@jobstore/scheduler';
import type { ServiceLogger } from './logger.js';

/**
 * At start, one warning for the stored jobs this process cannot run (their task is not
 * registered here, their executor is missing, their data cannot be read), with what to do.
 * They are left as they are: another process sharing the store may run them. Returns their ids.
 */
export async function reportUnrunnable(scheduler: Scheduler, logger: ServiceLogger, apiPrefix: string | undefined): Promise<string[]> {
  const unreadable: string[] = [];
  // getJobs skips records it cannot read and reports each as a jobstore_error.
  const stop = scheduler.on('jobstore_error', (event) => {
    if (event.jobId !== null) unreadable.push(`${JSON.stringify(event.jobId)} (its stored data cannot be read: ${event.error instanceof Error ? event.error.message : String(event.error)})`);
  });
  let jobs: Job[];
  try {
    jobs = await scheduler.getJobs();
  } finally {
    stop();
  }
  const stuck = jobs.filter((job) => job.unrunnable !== undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = [...stuck.map((job) => `${JSON.stringify(job.id)} (${scheduler.getTask(job.task) === undefined ? `task ${JSON.stringify(job.task)}` : job.unrunnable})`), ...unreadable];
  if (lines.length === 0) return [];
  const where = apiPrefix === undefined ? 'scheduler.modifyJob / scheduler.removeJob' : `PATCH or DELETE ${apiPrefix}/jobs/<id>, or the dashboard`;
  logger.warn(
    `jobstore: ${lines.length} stored job(s) cannot run in this process: ${lines.join(', ')}. ` +
      'They are kept, shown as unrunnable, and run as soon as what they need is here (another process sharing the store may run them meanwhile). ' +
      `Add the task's module to TASKS, or change or remove the job (${where}).`,
  );
  return stuck.map((job) => job.id);
}
