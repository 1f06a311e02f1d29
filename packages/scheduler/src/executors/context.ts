import { AsyncLocalStorage } from 'node:async_hooks';

/** What a running task can learn about its own run. */
export interface JobContext {
  readonly jobId: string;
  readonly jobstore: string;
  /** The fire time this run is for (not when it started). */
  readonly scheduledRunTime: Date;
}

const storage = new AsyncLocalStorage<JobContext>();

/** The job the calling task runs for, inside any executor; undefined outside a job. */
export function currentJob(): JobContext | undefined {
  return storage.getStore();
}

export function runInJobContext<T>(context: JobContext, work: () => T): T {
  return storage.run(context, work);
}
