/**
 * The scheduler's events, as APScheduler names them (EVENT_JOB_ADDED is `job_added`), plus
 * `jobstore_error` for a store that failed or holds a record it cannot use.
 */
export type SchedulerEvent =
  | { readonly type: 'scheduler_started' | 'scheduler_shutdown' | 'scheduler_paused' | 'scheduler_resumed' }
  | { readonly type: 'executor_added' | 'executor_removed'; readonly alias: string }
  | { readonly type: 'jobstore_added' | 'jobstore_removed' | 'all_jobs_removed'; readonly alias: string }
  | { readonly type: 'job_added' | 'job_removed' | 'job_modified'; readonly jobId: string; readonly jobstore: string }
  | {
      /** Runs handed to the executor, or (max_instances) not run because too many were running. */
      readonly type: 'job_submitted' | 'job_max_instances';
      readonly jobId: string;
      readonly jobstore: string;
      readonly scheduledRunTimes: readonly Date[];
    }
  | { readonly type: 'job_executed'; readonly jobId: string; readonly jobstore: string; readonly scheduledRunTime: Date; readonly returnValue: unknown }
  | {
      /** The run threw, or the job could not be run at all (unknown task or executor, bad stored data). */
      readonly type: 'job_error';
      readonly jobId: string;
      readonly jobstore: string;
      readonly scheduledRunTime: Date | null;
      readonly error: unknown;
    }
  | { readonly type: 'job_missed'; readonly jobId: string; readonly jobstore: string; readonly scheduledRunTime: Date }
  | {
      /** A store call failed (it is retried), or a stored record could not be used (it is kept). */
      readonly type: 'jobstore_error';
      readonly jobstore: string;
      readonly jobId: string | null;
      readonly error: unknown;
    };

export type SchedulerEventType = SchedulerEvent['type'];

/** The events of one type. */
export type SchedulerEventOf<T extends SchedulerEventType> = SchedulerEvent & { readonly type: T };
export type SchedulerListener = (event: SchedulerEvent) => void;

/** Delivers events to listeners; a throwing listener is reported, never allowed to stop the scheduler. */
export class EventHub {
  readonly #listeners = new Set<{ listener: SchedulerListener; types: ReadonlySet<SchedulerEventType> | null }>();

  add(listener: SchedulerListener, types: readonly SchedulerEventType[] | null): () => void {
    const entry = { listener, types: types === null ? null : new Set(types) };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(event: SchedulerEvent): void {
    for (const { listener, types } of [...this.#listeners]) {
      if (types !== null && !types.has(event.type)) continue;
      try {
        listener(event);
      } catch (error) {
        console.error(`[jobstore] a scheduler listener threw on ${event.type}:`, error);
      }
    }
  }
}
