/**
 * One scheduler under comparison: a jobstore backend, or a peer a user would pick instead
 * (BullMQ, pg-boss, Agenda). Every workload drives them through this, so each is measured doing
 * the same thing through its own public API.
 */
export interface Contender {
  /** The row label: `jobstore (PostgreSQL)`, `BullMQ`, `Agenda (Redis)`. */
  readonly name: string;
  /** The server it keeps jobs on. */
  readonly server: 'PostgreSQL' | 'Redis' | 'MariaDB' | 'SQLite' | 'ZooKeeper' | 'memory';
  readonly jobstore: boolean;
  /** Package and version, for the results' header. */
  readonly version: string;
  /** Only one process can use it (the memory store): multi-process workloads are not run. */
  readonly singleProcess?: boolean;
  /**
   * Where a design limit stops it, the most it is given in a workload, with the reason: recurring
   * jobs in workload 1 (pg-boss: one schedule per queue, each queue a table partition), jobs due
   * at once in workload 2, the backlog in workload 4. The tables say so wherever one applies.
   */
  readonly limits?: Partial<Record<'recurring' | 'dispatch' | 'backlog', Limit>>;
  /** A client with its own connections: one per process. */
  open(): Promise<ContenderClient>;
}

/** The most a contender is given in a workload, and why. */
export interface Limit {
  readonly count: number;
  readonly why: string;
}

/** A one-off job: an id and when it is due (epoch ms). */
export interface OneOff {
  readonly id: string;
  readonly at: number;
}

export interface ContenderClient {
  /** Removes everything the benchmark stored on the server. */
  reset(): Promise<void>;
  /** Workload 1: `count` recurring jobs (hourly), each its own id, through the public API. */
  scheduleRecurring(count: number): Promise<void>;
  /** Bytes the server holds for what the benchmark stored (tables and indexes, keys), or null where it cannot tell. */
  size(): Promise<number | null>;
  /** One-off jobs, each due at its time, through the public API (as many in flight as it allows). */
  addOneOff(jobs: readonly OneOff[]): Promise<void>;
  /**
   * Many one-off jobs fast, for workload 4's backlog of jobs due much later: ids `bulk-<i>`, job i
   * due at `first + i * step` ms, loaded the quickest way the library (or, where it has none, its
   * storage layout) allows. They are never run.
   */
  bulkLoad(count: number, first: number, step: number): Promise<void>;
  /** Starts running due jobs in this process, calling onRun with each job's id as it starts. */
  consume(onRun: (id: string) => void): Promise<void>;
  /** Stops running and closes its connections. */
  close(): Promise<void>;
}

/**
 * Calls in flight when a contender's API takes one job per call (jobstore's addJob, Agenda's
 * save, BullMQ's upsertJobScheduler): the same for all, so none is held back by the harness.
 */
export const CALLS_IN_FLIGHT = 100;

/** What each peer's job carries: the benchmark's id, which the run reports back. */
export interface JobData {
  readonly id: string;
}

/** `items` in slices of `size`, for APIs that take many jobs per call. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Runs `work` over `items`, `inFlight` at a time. */
export async function inBatches<T>(items: readonly T[], inFlight: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += inFlight) await Promise.all(items.slice(i, i + inFlight).map(work));
}
