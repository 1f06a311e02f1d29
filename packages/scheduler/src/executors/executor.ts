import type { DataObject, DataValue } from '@jobstore/core';
import type { TaskEntry } from '../tasks.js';

/** One run of a job, handed to an executor. */
export interface JobRun {
  readonly jobId: string;
  readonly jobstore: string;
  readonly task: TaskEntry;
  readonly args: readonly DataValue[];
  readonly kwargs: DataObject;
  readonly scheduledRunTime: Date;
}

/**
 * Runs jobs. APScheduler's executors, for Node: `async` (the event loop), `threadpool` (worker
 * threads), `processpool` (child processes) and `debug` (inline).
 */
export interface Executor {
  /**
   * Runs the job; resolves with what the task returned, rejects with what it threw. `inline`
   * executors run it before submit returns control to the scheduler.
   */
  submit(run: JobRun): Promise<unknown>;
  /** true when the scheduler should wait for each run before dispatching the next (debug). */
  readonly inline: boolean;
  /** Stops taking runs; with `wait`, resolves once the running ones have finished. */
  shutdown(wait: boolean): Promise<void>;
}

/** The arguments a task is called with: its args, then its kwargs if it has any. */
export function callArguments(args: readonly DataValue[], kwargs: DataObject): DataValue[] {
  return Object.keys(kwargs).length > 0 ? [...args, kwargs] : [...args];
}
