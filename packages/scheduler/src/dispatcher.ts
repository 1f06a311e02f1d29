import { InvalidArgumentError, MAX_BATCH, type JobRecord, type JobStore, type Logger, type StoreEvent } from '@jobstore/core';
import { TaskLookupError } from './errors.js';
import { tracebackOf, type SchedulerEventBody } from './events.js';
import type { Executor } from './executors/executor.js';
import { jobFromRecord, type Job, type RunningJob } from './job.js';
import { StoreBackoff } from './dispatch/backoff.js';
import { LeaseKeeper } from './dispatch/lease-keeper.js';
import { ReleaseQueue } from './dispatch/release-queue.js';
import { Sleeper } from './dispatch/sleeper.js';
import { StaleClaimGuard } from './dispatch/stale-claims.js';
import { newestDue, planDue } from './run-times.js';
import type { TaskEntry } from './tasks.js';

/** What the dispatcher needs from its scheduler. */
export interface DispatchContext {
  readonly owner: string;
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly pollInterval: number;
  readonly maxWait: number;
  readonly daemon: boolean;
  clock(): Date;
  stores(): ReadonlyMap<string, JobStore>;
  executor(alias: string): Executor | undefined;
  task(name: string): TaskEntry | undefined;
  emit(event: SchedulerEventBody): void;
  /** A claim from the store succeeded (so a store that was failing is back). */
  storeOk(alias: string): void;
  readonly logger: Logger;
}

const key = (alias: string, id: string): string => `${alias}\u0000${id}`;
const finite = (time: number): Date | null => (Number.isFinite(time) ? new Date(time) : null);

/**
 * The loop that runs due jobs. Each round claims due jobs from every store with
 * acquireDueJobs, plans each (misfire, coalesce, maxInstances), hands the runs to executors and
 * releases the jobs with their next fire time. It sleeps until the earliest next run time of any
 * store, woken early by store events; a store that fails is retried with backoff.
 *
 * Delivery: with maxInstances 1 the lease is held (and extended) until the run ends, so a crash
 * mid-run lets another scheduler run that fire time again once the lease ends (at least once).
 * With maxInstances > 1 the job is released when its runs start, so later fire times may overlap
 * them; a crash mid-run then loses that run (at most once).
 */
export class Dispatcher {
  readonly #ctx: DispatchContext;
  /** The runs going on, by job: their number is the job's running instances. */
  readonly #running = new Map<string, RunningJob[]>();
  /** Jobs claimed and not yet released, and their leases: a claim returns them again, and must pass them over. */
  readonly #leases: LeaseKeeper;
  readonly #releases: ReleaseQueue;
  readonly #stale: StaleClaimGuard;
  /**
   * Jobs this process cannot run (task or executor missing, data unreadable), by store, as the
   * last claim found them. Their leases are let go at once, so another process that can run them
   * may; the loop does not wake for them (see #nextRunTime).
   */
  readonly #parked = new Map<string, Set<string>>();
  /** What was last reported for each unrunnable job: reported once while it stays so, not at every claim. */
  readonly #reported = new Map<string, string>();
  readonly #backoff: StoreBackoff;
  readonly #sleeper: Sleeper;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #unsubscribe: (() => void)[] = [];
  #loop: Promise<void> | undefined;
  #stopped = false;
  #paused = false;

  constructor(context: DispatchContext) {
    this.#ctx = context;
    // One clock for every time the dispatcher compares: the scheduler's.
    const now = (): number => context.clock().getTime();
    this.#stale = new StaleClaimGuard(now, 2 * context.leaseMs);
    this.#backoff = new StoreBackoff(now);
    this.#sleeper = new Sleeper(now, context.daemon);
    const storeFailed = (alias: string, jobId: string | null, error: unknown): void => this.#storeFailed(alias, jobId, error);
    this.#leases = new LeaseKeeper({ ...context, storeFailed, leaseLost: (alias, jobId, error) => context.emit({ type: 'jobstore_error', jobstore: alias, jobId, error }) });
    this.#releases = new ReleaseQueue({ owner: context.owner, stores: context.stores, leases: this.#leases, stale: this.#stale, backoff: this.#backoff, storeFailed, emit: context.emit });
  }

  start(paused: boolean): void {
    this.#paused = paused;
    for (const [alias, store] of this.#ctx.stores()) this.watch(alias, store);
    // Each beat also forgets release versions no claim can be behind any more.
    this.#leases.start(() => this.#stale.prune());
    this.#loop = this.#run();
  }

  /** Wakes on changes that bring a run time forward. */
  watch(alias: string, store: JobStore): void {
    this.#unsubscribe.push(store.subscribe((event) => this.#onStoreEvent(alias, event)));
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.wake();
  }

  /** Stops claiming. With `wait`, resolves once running jobs have finished and been released. */
  async stop(wait: boolean): Promise<void> {
    this.#stopped = true;
    this.#sleeper.stop();
    await this.#loop;
    this.#leases.stop();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (wait) {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.#releases.flush();
    }
  }

  /** Runs a round now instead of at the planned time. */
  wake(): void {
    this.#sleeper.wake();
  }

  /** Running instances of a job in this process. */
  instances(alias: string, id: string): number {
    return this.#running.get(key(alias, id))?.length ?? 0;
  }

  /** The runs going on in this process, oldest first. */
  running(): RunningJob[] {
    return [...this.#running.values()].flat().sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  /** Runs a job through its executor, counting it as an instance; never rejects. */
  execute(job: Job, task: TaskEntry, executor: Executor, scheduledRunTime: Date): Promise<{ ok: boolean; value: unknown }> {
    const k = key(job.jobstore, job.id);
    const running: RunningJob = { jobstore: job.jobstore, jobId: job.id, scheduledRunTime, startedAt: this.#ctx.clock() };
    this.#running.set(k, [...(this.#running.get(k) ?? []), running]);
    const run = executor
      .submit({ jobId: job.id, jobstore: job.jobstore, task, args: job.args, kwargs: job.kwargs, scheduledRunTime })
      .then(
        (returnValue) => {
          this.#ctx.emit({ type: 'job_executed', jobId: job.id, jobstore: job.jobstore, scheduledRunTime, returnValue });
          return { ok: true, value: returnValue };
        },
        (error: unknown) => {
          this.#ctx.emit({ type: 'job_error', jobId: job.id, jobstore: job.jobstore, scheduledRunTime, error, traceback: tracebackOf(error) });
          return { ok: false, value: error };
        },
      )
      .finally(() => {
        const left = (this.#running.get(k) ?? []).filter((other) => other !== running);
        if (left.length > 0) this.#running.set(k, left);
        else this.#running.delete(k);
      });
    this.#track(run);
    return run;
  }

  // ---- the loop ------------------------------------------------------------------------

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.#paused) {
          await this.#sleeper.sleep(this.#ctx.maxWait);
          continue;
        }
        const more = await this.#round();
        if (more) {
          // A full batch: there may be more due. Let runs and I/O in between, then claim again.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        await this.#sleeper.sleep(await this.#delay());
      } catch (error) {
        // Nothing in a round should throw; if something does, report it and keep going.
        this.#ctx.logger.error(`scheduler ${this.#ctx.owner}: a dispatch round failed (it goes on): ${error instanceof Error ? error.message : String(error)}`, { error });
        await this.#sleeper.sleep(1000);
      }
    }
  }

  /** One claim from every store; true when a store returned a full batch. */
  async #round(): Promise<boolean> {
    // Releases first: a claim would take our own unreleased leases again and lock the rows the
    // releases are about to write (measured: running them side by side halves the dispatch rate).
    if (this.#releases.busy) await this.#releases.flush();
    let more = false;
    for (const [alias, store] of this.#ctx.stores()) {
      if (this.#stopped || this.#paused) break;
      if (this.#backoff.waitFor(alias) !== null) continue;
      const held = this.#leases.heldIn(alias);
      // Own leases and parked jobs come back from a claim: make room for them.
      const limit = Math.min(MAX_BATCH, this.#ctx.batchSize + (held?.size ?? 0) + (this.#parked.get(alias)?.size ?? 0));
      const now = this.#ctx.clock();
      let claimed: JobRecord[];
      try {
        claimed = await store.acquireDueJobs({ owner: this.#ctx.owner, now, leaseMs: this.#ctx.leaseMs, limit });
        this.#backoff.succeeded(alias);
        this.#ctx.storeOk(alias);
      } catch (error) {
        this.#storeFailed(alias, null, error);
        continue;
      }
      // Decide what is new before any await: a release settling meanwhile must not let a stale record through.
      const fresh = claimed.filter((record) => !held?.has(record.id));
      const stale = fresh.map((record) => this.#stale.check(alias, record));
      // A lease counts from `now`: a claim that took a third of it (a busy store) leaves its jobs
      // too little to run and be released in, and the heartbeat passes over jobs whose release is
      // on its way. Renewed here, they get a whole lease for that, so that one does not run out
      // under this live process and let another run the job again.
      const took = this.#ctx.clock().getTime() - now.getTime();
      let renewed: Set<string> | null | undefined;
      if (took > this.#ctx.leaseMs / 3) {
        renewed = await this.#leases.setLeases(
          alias,
          store,
          fresh.filter((_, i) => stale[i] === false).map((record) => record.id),
          this.#ctx.leaseMs,
        );
      }
      const parked = new Set<string>();
      for (const [i, record] of fresh.entries()) {
        // A lease not renewed is no longer ours: another scheduler claimed the job once the lease
        // ran out during the claim (or it was removed). Without an answer, a claim that outlasted
        // its whole lease cannot be trusted either; the job is claimed again in a later round.
        if (renewed !== undefined && stale[i] === false && (renewed === null ? took >= this.#ctx.leaseMs : !renewed.has(record.id))) {
          this.#leases.settled(alias, record.id);
          continue;
        }
        // A job this scheduler removed may have been added again under its id (a new record,
        // its version counting from 1 again): only the store can tell it from a stale read.
        if (stale[i] === 'removed' && !(await this.#stillThere(alias, store, record))) continue;
        if (stale[i] === true) continue;
        await this.#dispatch(alias, record, parked);
      }
      this.#parked.set(alias, parked);
      // Leases on parked jobs end now, unwritten (a lease change leaves the version): a process
      // that has their task can claim them now instead of after leaseMs.
      if (parked.size > 0) await this.#leases.setLeases(alias, store, [...parked], 1);
      if (claimed.length >= limit) more = true;
    }
    return more;
  }

  /** Plans one claimed job and starts its runs; one this process cannot run goes to `parked`. */
  async #dispatch(alias: string, record: JobRecord, parked: Set<string>): Promise<void> {
    // Planned at dispatch, not at the claim: a claim can take long (a store just back), and a fire
    // time that came due meanwhile belongs to this backlog; planned late, it would pass during
    // the run and be skipped as if an instance had been running.
    const now = this.#ctx.clock();
    const emit = this.#ctx.emit;
    let job: Job;
    try {
      job = jobFromRecord(record, alias);
    } catch (error) {
      return this.#unrunnable(alias, record, error, parked);
    }
    const task = this.#ctx.task(job.task);
    if (task === undefined) return this.#unrunnable(alias, record, new TaskLookupError(job.task, job.id), parked);
    const executor = this.#ctx.executor(job.executor);
    if (executor === undefined)
      return this.#unrunnable(alias, record, new InvalidArgumentError(`job ${JSON.stringify(job.id)} names executor ${JSON.stringify(job.executor)}, which this scheduler does not have`), parked);
    this.#reported.delete(key(alias, job.id));

    const plan = planDue(job.trigger, record.nextRunTime ?? now, now, job.misfireGraceTime, job.coalesce);
    for (const scheduledRunTime of plan.missed) emit({ type: 'job_missed', jobId: job.id, jobstore: alias, scheduledRunTime });
    const claimed = { version: record.version, nextRunTime: record.nextRunTime };
    this.#leases.hold(alias, job.id);
    if (plan.due.length === 0) {
      this.#releases.push(alias, job.id, claimed, plan.next);
      return;
    }
    if (this.instances(alias, job.id) >= job.maxInstances) {
      emit({ type: 'job_max_instances', jobId: job.id, jobstore: alias, scheduledRunTimes: plan.due });
      this.#releases.push(alias, job.id, claimed, plan.next);
      return;
    }

    const hold = job.maxInstances === 1;
    if (!hold) this.#releases.push(alias, job.id, claimed, plan.next);
    // As APScheduler does, every due fire time is submitted (a missed one too), and they run one
    // after another in one instance; each is checked against the grace time as its run starts.
    emit({ type: 'job_submitted', jobId: job.id, jobstore: alias, scheduledRunTimes: plan.due });
    const finished = (async () => {
      for (const time of plan.due) {
        if (job.misfireGraceTime !== null && this.#ctx.clock().getTime() - time.getTime() > job.misfireGraceTime * 1000)
          emit({ type: 'job_missed', jobId: job.id, jobstore: alias, scheduledRunTime: time });
        else await this.execute(job, task, executor, time);
      }
    })();
    if (hold) {
      // Fire times that came due while the run went on are not dropped: the job is released with
      // them, so the next claim runs them (or reports them missed) by the job's misfire grace
      // time, as any late fire time. With coalesce only the newest of them stays; the others are
      // reported as APScheduler reports a fire time that found the job running.
      this.#track(finished.then(() => new Promise<void>((resolve) => this.#releases.push(alias, job.id, claimed, this.#overlapped(job, plan.next), resolve))));
    }
    if (executor.inline) await finished;
  }

  /**
   * With coalesce, the fire times from `next` that came due during a held run collapse into the
   * newest: each one dropped is reported `job_max_instances`. Returns the fire time to release with.
   */
  #overlapped(job: Job, next: Date | null): Date | null {
    if (!job.coalesce || next === null) return next;
    const { newest, passed } = newestDue(job.trigger, next, this.#ctx.clock());
    for (const time of passed) this.#ctx.emit({ type: 'job_max_instances', jobId: job.id, jobstore: job.jobstore, scheduledRunTimes: [time] });
    return newest ?? next;
  }

  /**
   * A job that cannot run here is left as stored (never removed or paused: another process may
   * have its task) and reported once, not at every claim, until it runs or its reason changes.
   */
  #unrunnable(alias: string, record: JobRecord, error: unknown, parked: Set<string>): void {
    parked.add(record.id);
    const k = key(alias, record.id);
    const reason = error instanceof Error ? error.message : String(error);
    if (this.#reported.get(k) === reason) return;
    this.#reported.set(k, reason);
    this.#ctx.emit({ type: 'job_error', jobId: record.id, jobstore: alias, scheduledRunTime: record.nextRunTime, error, traceback: tracebackOf(error) });
  }

  /** Wakes the loop to claim again: parked jobs run at once if what they lacked is here now. */
  retryUnrunnable(): void {
    this.#parked.clear();
    this.wake();
  }

  /** Whether the claimed record is in the store as claimed (not a read from before its removal). */
  async #stillThere(alias: string, store: JobStore, record: JobRecord): Promise<boolean> {
    try {
      const current = await store.lookupJob(record.id);
      const there = current !== null && current.version === record.version && current.acquiredBy === this.#ctx.owner;
      if (there) this.#stale.forget(alias, record.id);
      return there;
    } catch (error) {
      // Unsure: leave it; the lease runs out and the next claim looks again.
      this.#storeFailed(alias, record.id, error);
      return false;
    }
  }

  // ---- sleeping ------------------------------------------------------------------------

  /** Until the earliest next run time of any store, within the polling limits. */
  async #delay(): Promise<number> {
    let delay = this.#ctx.maxWait;
    for (const [alias, store] of this.#ctx.stores()) {
      const wait = this.#backoff.waitFor(alias);
      if (wait !== null) {
        delay = Math.min(delay, wait);
        continue;
      }
      if (store.notifications === 'poll') delay = Math.min(delay, this.#ctx.pollInterval);
      try {
        const next = await this.#nextRunTime(alias, store);
        if (next !== null) delay = Math.min(delay, next.getTime() - this.#ctx.clock().getTime());
      } catch (error) {
        this.#storeFailed(alias, null, error);
        delay = Math.min(delay, this.#backoff.waitFor(alias) ?? 1000);
      }
    }
    return Math.max(0, delay);
  }

  /**
   * The store's next run time, passing over parked jobs: they are due and their leases were let
   * go, so they would otherwise wake the loop at once, again and again.
   */
  async #nextRunTime(alias: string, store: JobStore): Promise<Date | null> {
    const next = await store.getNextRunTime();
    const parked = this.#parked.get(alias);
    // A let-go lease still counts for a millisecond, so the store's answer may be a parked job's, just ahead.
    if (next === null || parked === undefined || parked.size === 0) return next;
    const now = this.#ctx.clock().getTime();
    // In getAllJobs order (by next run time): the first job neither parked nor leased bounds
    // all later ones; a leased job before it counts from 1 ms after its lease ends.
    let earliest = Number.POSITIVE_INFINITY;
    let cursor: string | null = null;
    do {
      const page = await store.listJobs({ limit: Math.min(MAX_BATCH, parked.size + 100), cursor });
      for (const record of page.jobs) {
        if (record.nextRunTime === null) return finite(earliest);
        if (parked.has(record.id)) continue;
        const at = record.nextRunTime.getTime();
        const leaseEnd = record.acquiredUntil?.getTime();
        if (record.acquiredBy !== null && leaseEnd !== undefined && leaseEnd >= now) {
          earliest = Math.min(earliest, Math.max(at, leaseEnd + 1));
          continue;
        }
        return finite(Math.min(earliest, at));
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    return finite(earliest);
  }

  #onStoreEvent(alias: string, event: StoreEvent): void {
    if (event.type === 'corrupt') {
      this.#ctx.emit({ type: 'jobstore_error', jobstore: alias, jobId: event.jobId, error: event.error });
      return;
    }
    this.#forgetUnrunnable(alias, event);
    if (this.#paused) return;
    if ((event.type === 'added' || event.type === 'updated' || event.type === 'released') && event.nextRunTime !== null) this.#sleeper.heard(event.nextRunTime.getTime());
  }

  /** A parked job that was changed (perhaps given a task this process has) is claimed again; a removed one is forgotten. */
  #forgetUnrunnable(alias: string, event: Exclude<StoreEvent, { type: 'corrupt' }>): void {
    if (event.type === 'cleared') {
      this.#parked.delete(alias);
      for (const k of this.#reported.keys()) if (k.startsWith(key(alias, ''))) this.#reported.delete(k);
      return;
    }
    this.#parked.get(alias)?.delete(event.jobId);
    if (event.type === 'removed') this.#reported.delete(key(alias, event.jobId));
  }

  #storeFailed(alias: string, jobId: string | null, error: unknown): void {
    this.#backoff.failed(alias);
    this.#ctx.emit({ type: 'jobstore_error', jobstore: alias, jobId, error });
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    const forget = (): void => {
      this.#inFlight.delete(promise);
    };
    promise.then(forget, forget);
  }
}
