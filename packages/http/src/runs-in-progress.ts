import type { Scheduler, SchedulerEvent } from '@jobstore/scheduler';

/** A job's run going on in this process. */
export interface RunInProgress {
  readonly jobId: string;
  readonly jobstore: string;
  /** The fire time it runs (for a run asked for through the API, when it was asked); undefined when not seen starting. */
  readonly scheduledRunTime: Date | undefined;
  /** When it started; undefined for a run that started while the service was starting, before it watched. */
  readonly since: Date | undefined;
}

interface Tracked {
  readonly scheduledRunTime: Date;
  /** undefined while it waits for the runs before it in its batch. */
  since: Date | undefined;
  /** The fire times submitted together run one after another. */
  readonly batch: object;
}

const key = (jobstore: string, jobId: string): string => `${jobstore}\u0000${jobId}`;

/**
 * When each run of the scheduler started, from its events. What is running comes from the
 * scheduler itself (runningJobs()); the events only add since when, so a missed event can never
 * make a run appear or vanish.
 */
export class RunTracker {
  readonly #scheduler: Scheduler;
  readonly #runs = new Map<string, Tracked[]>();
  readonly #unsubscribe: () => void;

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
    this.#unsubscribe = scheduler.addListener((event) => this.#record(event), ['job_submitted', 'job_executed', 'job_error']);
  }

  /** The runs going on now, oldest first. */
  runs(): RunInProgress[] {
    const runs: RunInProgress[] = [];
    for (const { jobstore, jobId, instances } of this.#scheduler.runningJobs()) {
      const started = (this.#runs.get(key(jobstore, jobId)) ?? []).filter((run) => run.since !== undefined);
      // The latest ones: should a finish ever go unseen, its stale entry is the oldest.
      const seen = started.slice(Math.max(0, started.length - instances));
      for (const run of seen) runs.push({ jobId, jobstore, scheduledRunTime: run.scheduledRunTime, since: run.since });
      for (let i = seen.length; i < instances; i++) runs.push({ jobId, jobstore, scheduledRunTime: undefined, since: undefined });
    }
    return runs.sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0));
  }

  stop(): void {
    this.#unsubscribe();
    this.#runs.clear();
  }

  #record(event: SchedulerEvent): void {
    if (event.type === 'job_submitted') {
      const k = key(event.jobstore, event.jobId);
      const list = this.#runs.get(k) ?? [];
      const batch = {};
      const now = new Date();
      event.scheduledRunTimes.forEach((scheduledRunTime, i) => list.push({ scheduledRunTime, since: i === 0 ? now : undefined, batch }));
      this.#runs.set(k, list);
      return;
    }
    // job_error without a fire time, or for a job never submitted, is a job that could not run at all.
    if ((event.type !== 'job_executed' && event.type !== 'job_error') || event.scheduledRunTime === null) return;
    const k = key(event.jobstore, event.jobId);
    const list = this.#runs.get(k);
    const time = event.scheduledRunTime.getTime();
    const at = list?.findIndex((run) => run.since !== undefined && run.scheduledRunTime.getTime() === time) ?? -1;
    if (list === undefined || at === -1) return;
    const [done] = list.splice(at, 1);
    const next = list.find((run) => run.batch === done?.batch && run.since === undefined);
    if (next !== undefined) next.since = new Date();
    if (list.length === 0) this.#runs.delete(k);
  }
}
