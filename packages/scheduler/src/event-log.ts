import { LeaseLostError, StoreUnavailableError, type Logger } from '@jobstore/core';
import type { SchedulerEvent, SchedulerEventType } from './events.js';

/** The events the scheduler logs, as APScheduler logs them through `logging` (and what it adds: stores). */
export const LOGGED_EVENTS: ReadonlySet<SchedulerEventType> = new Set(['job_error', 'job_missed', 'job_max_instances', 'jobstore_error']);

const iso = (time: Date | null): string => (time === null ? 'unknown' : time.toISOString());
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * What the scheduler writes to its logger without being asked: a job's error with its stack, a
 * missed run, a run skipped by maxInstances, a lost lease, a record it cannot use, and a store that
 * went away and came back (once each way, with how long it was gone). It is a listener on the
 * scheduler's own events, so what is logged is exactly what listeners are told.
 */
export class EventLog {
  readonly #logger: Logger;
  readonly #clock: () => number;
  /** Stores whose calls are failing: since when (the scheduler's clock). */
  readonly #down = new Map<string, number>();

  constructor(logger: Logger, clock: () => number) {
    this.#logger = logger;
    this.#clock = clock;
  }

  readonly listener = (event: SchedulerEvent): void => {
    switch (event.type) {
      case 'job_error': {
        const { jobId, jobstore, scheduledRunTime, error } = event;
        this.#logger.error(`job "${jobId}" (store "${jobstore}", run at ${iso(scheduledRunTime)}) raised: ${messageOf(error)}`, { jobId, jobstore, scheduledRunTime, error });
        return;
      }
      case 'job_missed': {
        const { jobId, jobstore, scheduledRunTime } = event;
        const late = this.#clock() - scheduledRunTime.getTime();
        this.#logger.warn(`run of job "${jobId}" (store "${jobstore}") at ${iso(scheduledRunTime)} was missed by ${seconds(late)}`, { jobId, jobstore, scheduledRunTime });
        return;
      }
      case 'job_max_instances': {
        const { jobId, jobstore, scheduledRunTimes } = event;
        const runs = scheduledRunTimes.length === 1 ? `the run at ${iso(scheduledRunTimes[0] ?? null)}` : `${scheduledRunTimes.length} runs`;
        this.#logger.warn(`job "${jobId}" (store "${jobstore}"): ${runs} skipped: maximum number of running instances reached`, {
          jobId,
          jobstore,
          scheduledRunTimes,
        });
        return;
      }
      case 'jobstore_error':
        this.#storeError(event.jobstore, event.jobId, event.error);
        return;
      default:
        return;
    }
  };

  /** A call to the store succeeded: if it had been failing, say it is back and after how long. */
  storeOk(alias: string): void {
    const since = this.#down.get(alias);
    if (since === undefined) return;
    this.#down.delete(alias);
    const downMs = this.#clock() - since;
    this.#logger.warn(`store "${alias}" is back after ${seconds(downMs)}`, { jobstore: alias, downMs });
  }

  #storeError(alias: string, jobId: string | null, error: unknown): void {
    if (error instanceof LeaseLostError) {
      this.#logger.warn(`the lease on job "${jobId}" in store "${alias}" was lost: another scheduler may run it again (${messageOf(error)})`, { jobstore: alias, jobId, error });
      return;
    }
    // A failing call (the store away, or refusing every call): once, until a call succeeds again.
    if (error instanceof StoreUnavailableError || jobId === null) {
      if (this.#down.has(alias)) return;
      this.#down.set(alias, this.#clock());
      this.#logger.warn(`store "${alias}" is unavailable; retrying with backoff: ${messageOf(error)}`, { jobstore: alias, error });
      return;
    }
    // A record the store holds and this scheduler cannot use: it is kept and reported once.
    this.#logger.error(`job "${jobId}" in store "${alias}" cannot be used: ${messageOf(error)}`, { jobstore: alias, jobId, error });
  }
}
