import { LeaseLostError, MAX_BATCH, VersionConflictError, type JobLookupError, type JobRecord, type JobReleaseItem, type JobStore } from '@jobstore/core';
import type { SchedulerEventBody } from '../events.js';
import type { StoreBackoff } from './backoff.js';
import type { LeaseKeeper } from './lease-keeper.js';
import type { StaleClaimGuard } from './stale-claims.js';

/** What the release queue needs from the dispatcher. */
export interface ReleaseContext {
  readonly owner: string;
  stores(): ReadonlyMap<string, JobStore>;
  readonly leases: LeaseKeeper;
  readonly stale: StaleClaimGuard;
  readonly backoff: StoreBackoff;
  storeFailed(alias: string, jobId: string | null, error: unknown): void;
  emit(event: SchedulerEventBody): void;
}

/** The record's version and next run time when it was claimed. */
export interface Claimed {
  readonly version: number;
  readonly nextRunTime: Date | null;
}

/** A release waiting for the next batch to its store. */
interface PendingRelease {
  readonly alias: string;
  readonly jobId: string;
  readonly claimed: Claimed;
  expectedVersion: number;
  /** The trigger is done: the job is removed. */
  remove: boolean;
  /** When not removing: the next run time to write (null: paused). */
  nextRunTime: Date | null;
  readonly done: () => void;
}

/**
 * Releases of claimed jobs, written in batches: all releases queued to one store go out
 * together in one releaseJobs call. A store that is down keeps them queued (its leases hold the
 * jobs meanwhile); a job someone changed while it ran keeps their schedule.
 */
export class ReleaseQueue {
  readonly #ctx: ReleaseContext;
  readonly #pending: PendingRelease[] = [];
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Immediate | NodeJS.Timeout | undefined;

  constructor(context: ReleaseContext) {
    this.#ctx = context;
  }

  /** Releases waiting or being written. */
  get busy(): boolean {
    return this.#pending.length > 0 || this.#flushing !== undefined;
  }

  /**
   * Queues a release with the next fire time (null: the trigger is done, the job is removed);
   * the job stays held until it settles, then `done` runs.
   */
  push(alias: string, jobId: string, claimed: Claimed, next: Date | null, done: () => void = () => undefined): void {
    this.#ctx.leases.releasing(alias, jobId);
    const settled = (): void => {
      this.#ctx.leases.settled(alias, jobId);
      done();
    };
    this.#pending.push({ alias, jobId, claimed, expectedVersion: claimed.version, remove: next === null, nextRunTime: next, done: settled });
    this.#schedule(0);
  }

  /** Writes what is queued (waiting for a write under way first). */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#pending.length === 0) return;
    this.#flushing = this.#flushOnce().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined) return;
    const run = (): void => {
      this.#timer = undefined;
      void this.flush();
    };
    this.#timer = delayMs === 0 ? setImmediate(run) : setTimeout(run, delayMs);
  }

  async #flushOnce(): Promise<void> {
    const byStore = new Map<string, PendingRelease[]>();
    for (const release of this.#pending.splice(0)) {
      const list = byStore.get(release.alias) ?? [];
      list.push(release);
      byStore.set(release.alias, list);
    }
    await Promise.all([...byStore].map(([alias, releases]) => this.#flushStore(alias, releases)));
  }

  async #flushStore(alias: string, releases: PendingRelease[]): Promise<void> {
    const store = this.#ctx.stores().get(alias);
    if (store === undefined) {
      for (const release of releases) release.done();
      return;
    }
    for (let start = 0; start < releases.length; start += MAX_BATCH) {
      const batch = releases.slice(start, start + MAX_BATCH);
      const items: JobReleaseItem[] = batch.map((r) =>
        r.remove ? { id: r.jobId, remove: true, expectedVersion: r.expectedVersion } : { id: r.jobId, nextRunTime: r.nextRunTime, expectedVersion: r.expectedVersion },
      );
      let results: Awaited<ReturnType<typeof store.releaseJobs>>;
      try {
        results = await store.releaseJobs(this.#ctx.owner, items);
      } catch (error) {
        // The store is down: keep the releases and try again; until then the leases hold the jobs.
        this.#ctx.storeFailed(alias, null, error);
        this.#pending.push(...batch);
        this.#schedule(Math.max(50, this.#ctx.backoff.waitFor(alias) ?? 1000));
        continue;
      }
      await Promise.all(results.map((result, i) => this.#settle(store, batch[i] as PendingRelease, result.error)));
    }
  }

  /** What to do with one release's outcome. */
  async #settle(store: JobStore, release: PendingRelease, error: LeaseLostError | JobLookupError | VersionConflictError | null): Promise<void> {
    if (error === null) {
      this.#ctx.stale.released(release.alias, release.jobId, release.expectedVersion + 1, release.remove);
      if (release.remove) this.#ctx.emit({ type: 'job_removed', jobId: release.jobId, jobstore: release.alias });
      release.done();
      return;
    }
    if (error instanceof VersionConflictError) {
      // Someone changed the job while it ran: keep their schedule if they changed it (a pause
      // included), else write ours; their other changes are in the record already.
      let fresh: JobRecord | null;
      try {
        fresh = await store.lookupJob(release.jobId);
      } catch (lookupError) {
        this.#ctx.storeFailed(release.alias, release.jobId, lookupError);
        this.#pending.push(release);
        this.#schedule(1000);
        return;
      }
      if (fresh !== null) {
        release.expectedVersion = fresh.version;
        if (fresh.nextRunTime?.getTime() !== release.claimed.nextRunTime?.getTime()) {
          release.remove = false;
          release.nextRunTime = fresh.nextRunTime;
        }
        this.#pending.push(release);
        this.#schedule(0);
        return;
      }
    } else if (error instanceof LeaseLostError) {
      // Another scheduler took the job over (this one was too slow to extend): its run may repeat.
      this.#ctx.emit({ type: 'jobstore_error', jobstore: release.alias, jobId: release.jobId, error });
    }
    release.done();
  }
}
