import { InvalidArgumentError, type Logger } from '@jobstore/core';

/** The body of each event, as the scheduler emits it; the hub adds its `code`. */
export type SchedulerEventBody =
  | { readonly type: 'scheduler_started' | 'scheduler_shutdown' | 'scheduler_paused' | 'scheduler_resumed' }
  | { readonly type: 'executor_added' | 'executor_removed'; readonly alias: string }
  | { readonly type: 'jobstore_added' | 'jobstore_removed' | 'all_jobs_removed'; readonly alias: string }
  | { readonly type: 'job_added' | 'job_removed' | 'job_modified'; readonly jobId: string; readonly jobstore: string }
  | {
      /**
       * `job_submitted`: fire times handed to the executor (a missed one included: it is
       * reported `job_missed` when its turn comes). `job_max_instances`: fire times not run
       * because `maxInstances` runs of the job were going.
       */
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
      /** The error's stack (APScheduler's formatted traceback); null when what was thrown has none. */
      readonly traceback: string | null;
    }
  | { readonly type: 'job_missed'; readonly jobId: string; readonly jobstore: string; readonly scheduledRunTime: Date }
  | {
      /** A store call failed (it is retried), or a stored record could not be used (it is kept). */
      readonly type: 'jobstore_error';
      readonly jobstore: string;
      readonly jobId: string | null;
      readonly error: unknown;
    };

/**
 * The scheduler's events, as APScheduler names them (EVENT_JOB_ADDED is `job_added`), plus
 * `jobstore_error` for a store that failed or holds a record it cannot use. Each carries its
 * APScheduler event `code` (EVENT_JOB_ADDED is 512), so `event.code & mask` works as there.
 */
export type SchedulerEvent = SchedulerEventBody & { readonly code: number };

export type SchedulerEventType = SchedulerEventBody['type'];

/** The events of one type. */
export type SchedulerEventOf<T extends SchedulerEventType> = SchedulerEvent & { readonly type: T };
export type SchedulerListener = (event: SchedulerEvent) => void;

// APScheduler 3's event codes, bit for bit: masks written for it mean the same here.
export const EVENT_SCHEDULER_STARTED = 2 ** 0;
export const EVENT_SCHEDULER_SHUTDOWN = 2 ** 1;
export const EVENT_SCHEDULER_PAUSED = 2 ** 2;
export const EVENT_SCHEDULER_RESUMED = 2 ** 3;
export const EVENT_EXECUTOR_ADDED = 2 ** 4;
export const EVENT_EXECUTOR_REMOVED = 2 ** 5;
export const EVENT_JOBSTORE_ADDED = 2 ** 6;
export const EVENT_JOBSTORE_REMOVED = 2 ** 7;
export const EVENT_ALL_JOBS_REMOVED = 2 ** 8;
export const EVENT_JOB_ADDED = 2 ** 9;
export const EVENT_JOB_REMOVED = 2 ** 10;
export const EVENT_JOB_MODIFIED = 2 ** 11;
export const EVENT_JOB_EXECUTED = 2 ** 12;
export const EVENT_JOB_ERROR = 2 ** 13;
export const EVENT_JOB_MISSED = 2 ** 14;
export const EVENT_JOB_SUBMITTED = 2 ** 15;
export const EVENT_JOB_MAX_INSTANCES = 2 ** 16;
/** jobstore's own (APScheduler has none): a store failed, or holds a record it cannot use. Past APScheduler's codes. */
export const EVENT_JOBSTORE_ERROR = 2 ** 20;
/** Every event; APScheduler's EVENT_ALL plus EVENT_JOBSTORE_ERROR. */
export const EVENT_ALL = 2 ** 17 - 1 + EVENT_JOBSTORE_ERROR;

/** Each event type's code. */
export const EVENT_CODES: Readonly<Record<SchedulerEventType, number>> = Object.freeze({
  scheduler_started: EVENT_SCHEDULER_STARTED,
  scheduler_shutdown: EVENT_SCHEDULER_SHUTDOWN,
  scheduler_paused: EVENT_SCHEDULER_PAUSED,
  scheduler_resumed: EVENT_SCHEDULER_RESUMED,
  executor_added: EVENT_EXECUTOR_ADDED,
  executor_removed: EVENT_EXECUTOR_REMOVED,
  jobstore_added: EVENT_JOBSTORE_ADDED,
  jobstore_removed: EVENT_JOBSTORE_REMOVED,
  all_jobs_removed: EVENT_ALL_JOBS_REMOVED,
  job_added: EVENT_JOB_ADDED,
  job_removed: EVENT_JOB_REMOVED,
  job_modified: EVENT_JOB_MODIFIED,
  job_executed: EVENT_JOB_EXECUTED,
  job_error: EVENT_JOB_ERROR,
  job_missed: EVENT_JOB_MISSED,
  job_submitted: EVENT_JOB_SUBMITTED,
  job_max_instances: EVENT_JOB_MAX_INSTANCES,
  jobstore_error: EVENT_JOBSTORE_ERROR,
});

const TYPES = Object.keys(EVENT_CODES) as SchedulerEventType[];

/** The event types a listener asked for: a list of types, or a mask of codes; null for all. */
export function eventTypes(types: readonly SchedulerEventType[] | number | undefined, op: string): ReadonlySet<SchedulerEventType> | null {
  if (types === undefined) return null;
  if (typeof types === 'number') {
    if (!Number.isSafeInteger(types) || types <= 0) throw new InvalidArgumentError(`${op}: an event mask must be a positive integer (EVENT_JOB_EXECUTED | EVENT_JOB_ERROR), got ${String(types)}`);
    const set = new Set(TYPES.filter((type) => (EVENT_CODES[type] & types) !== 0));
    if (set.size === 0) throw new InvalidArgumentError(`${op}: the event mask ${types} names no event`);
    return set;
  }
  if (!Array.isArray(types)) throw new InvalidArgumentError(`${op}: types must be a list of event types or a mask of event codes`);
  for (const type of types) if (!Object.hasOwn(EVENT_CODES, type)) throw new InvalidArgumentError(`${op}: unknown event type ${JSON.stringify(type)} (one of ${TYPES.join(', ')})`);
  return new Set(types);
}

/** Delivers events to listeners; a throwing listener is reported, never allowed to stop the scheduler. */
export class EventHub {
  readonly #logger: Logger;
  constructor(logger: Logger) {
    this.#logger = logger;
  }

  readonly #listeners = new Set<{ listener: SchedulerListener; types: ReadonlySet<SchedulerEventType> | null }>();
  add(listener: SchedulerListener, types: ReadonlySet<SchedulerEventType> | null): () => void {
    const entry = { listener, types };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Stops every registration of `listener`; whether there was one. */
  remove(listener: SchedulerListener): boolean {
    let found = false;
    for (const entry of this.#listeners) {
      if (entry.listener !== listener) continue;
      this.#listeners.delete(entry);
      found = true;
    }
    return found;
  }

  emit(body: SchedulerEventBody): void {
    // Made only when someone listens for this type: most events of a busy scheduler have no listener.
    let event: SchedulerEvent | undefined;
    for (const { listener, types } of [...this.#listeners]) {
      if (types !== null && !types.has(body.type)) continue;
      if (event === undefined) {
        // `code` right after `type`, as a streamed event's JSON shows it.
        const { type, ...rest } = body;
        event = { type, code: EVENT_CODES[type], ...rest } as SchedulerEvent;
      }
      try {
        listener(event);
      } catch (error) {
        this.#logger.error(`a scheduler listener threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`, { event: event.type, error });
      }
    }
  }
}

/** The traceback a job_error carries: the stack of what was thrown, if it has one. */
export function tracebackOf(error: unknown): string | null {
  return error instanceof Error && typeof error.stack === 'string' ? error.stack : null;
}
