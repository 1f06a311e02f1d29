import { JobStoreError } from '@jobstore/core';
import { isInlineTaskName } from './tasks.js';

/** Why a job whose task is not registered here cannot run, and what to do about it. */
export function missingTaskReason(task: string): string {
  const advice = isInlineTaskName(task)
    ? 'it was an inline function, which lives only in the process that added the job: add the job again with its function (addJob with replaceExisting)'
    : 'register it (registerTask or importTasks; in the service, list its module in TASKS); the job is kept and runs once the task is registered';
  return `task ${JSON.stringify(task)} is not registered in this process: ${advice}`;
}

/** A stored job names a task this process has not registered. The job is kept. */
export class TaskLookupError extends JobStoreError {
  constructor(task: string, jobId: string) {
    super(`job ${JSON.stringify(jobId)}: ${missingTaskReason(task)}`, { jobId });
  }
}

/** The scheduler's state does not allow the call (started twice, used after shutdown). */
export class SchedulerStateError extends JobStoreError {}

/** The call needs a running scheduler (APScheduler's SchedulerNotRunningError): shutdown before start, pause or resume while stopped. */
export class SchedulerNotRunningError extends SchedulerStateError {
  constructor(op: string, detail = '') {
    super(`${op}: the scheduler is not running${detail}`);
  }
}

/** A job's stored data is not a job this release of the scheduler understands. The job is kept. */
export class JobDataError extends JobStoreError {
  constructor(jobId: string, reason: string) {
    super(`job ${JSON.stringify(jobId)} has data the scheduler cannot use: ${reason}`, { jobId });
  }
}

/** maxInstances runs of the job are already running. */
export class MaxInstancesReachedError extends JobStoreError {
  constructor(jobId: string, maxInstances: number) {
    super(`job ${JSON.stringify(jobId)} already has ${maxInstances} running instance(s) (maxInstances)`, { jobId });
  }
}
