import { JobStoreError } from '@jobstore/core';

/** A stored job names a task this process has not registered. The job is kept. */
export class TaskLookupError extends JobStoreError {
  constructor(task: string, jobId: string) {
    super(`job ${JSON.stringify(jobId)} runs task ${JSON.stringify(task)}, which is not registered in this process: register it with scheduler.registerTask() or importTasks()`, { jobId });
  }
}

/** The scheduler's state does not allow the call (started twice, used after shutdown). */
export class SchedulerStateError extends JobStoreError {}

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
