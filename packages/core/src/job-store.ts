import type { CorruptJobError, JobLookupError, LeaseLostError, VersionConflictError } from './errors.js';
import type { JobChanges, JobData, JobRecord, NewJob } from './job.js';

/**
 * The contract every backend implements. All methods are async; each states what it returns,
 * what it throws, and what must be atomic. Every error thrown on purpose is a JobStoreError.
 * Stores never read the wall clock for due or lease logic: time comes in as `now`.
 * After close(), every method throws StoreClosedError.
 */
export interface JobStore {
  /** A label for messages and logs: `"<backend>:<namespace>"`, e.g. `"postgres:jobs"`. */
  readonly name: string;

  /**
   * `push`: subscribers hear about changes made by every process sharing the store.
   * `poll`: they hear only about this instance's own changes; a scheduler must also poll.
   */
  readonly notifications: NotificationMode;

  /**
   * Connects and prepares storage (schema, connections, notifications) now, so that a
   * misconfigured store fails at startup rather than at its first job. Idempotent: once it has
   * succeeded, calling it again does nothing; after a failure, the next call (or the next
   * operation, which opens by itself) tries again. Rejects with the backend's error
   * (StoreUnavailableError when the server cannot be reached) and, after close(), with
   * StoreClosedError. Calling it is optional: every other method opens the store first.
   */
  open(): Promise<void>;

  /** Stores a new job at version 1. ConflictingIdError if the id is taken (nothing changes). */
  addJob(job: NewJob): Promise<JobRecord>;

  /**
   * Changes nextRunTime and/or data atomically and bumps the version; a lease is kept.
   * JobLookupError if missing; with `expectedVersion`, VersionConflictError instead of a lost update.
   */
  updateJob(id: string, changes: JobChanges, options?: UpdateOptions): Promise<JobRecord>;

  /** Deletes the job, leased or not, decodable or not. JobLookupError if missing. */
  removeJob(id: string): Promise<void>;

  /** Deletes every job in this store's namespace (and nothing outside it). */
  removeAllJobs(): Promise<void>;

  /** The job, or null when missing. CorruptJobError when its record cannot be decoded. */
  lookupJob(id: string): Promise<JobRecord | null>;

  /**
   * Every job: by nextRunTime, ties by id (code point order), then paused jobs by id.
   * Records that cannot be decoded are skipped and reported as `corrupt` events.
   */
  getAllJobs(): Promise<JobRecord[]>;

  /** One page of the getAllJobs order, for stores too large to list at once. */
  listJobs(options?: ListOptions): Promise<JobPage>;

  /** Jobs with nextRunTime <= now, leased or not, in getAllJobs order; corrupt ones reported. */
  getDueJobs(now: Date): Promise<JobRecord[]>;

  /**
   * The earliest time at which some job could be acquired: its nextRunTime, or for a job under
   * lease, 1 ms after the lease ends if that is later. null when no job is scheduled.
   */
  getNextRunTime(): Promise<Date | null>;

  /**
   * Atomically claims up to `limit` due jobs (nextRunTime <= now) that are unleased, leased by
   * `owner`, or whose lease has ended (now > acquiredUntil), in getAllJobs order, and leases them
   * to `owner` until now + leaseMs. A job is never returned to two owners while a lease is live.
   * Records that cannot be decoded are claimed but not returned, and reported.
   */
  acquireDueJobs(options: AcquireOptions): Promise<JobRecord[]>;

  /**
   * Ends `owner`'s lease, atomically writing the job's new schedule (bumping the version) or
   * removing it. LeaseLostError if `owner` does not hold the lease (nothing written),
   * JobLookupError if the job is gone, VersionConflictError on a stale `expectedVersion`.
   */
  releaseJob(id: string, owner: string, release: JobRelease): Promise<void>;

  /**
   * Releases many jobs at once, each exactly as releaseJob would (each atomically; the batch is
   * not one transaction); a backend may do it in fewer round trips. One job's failure does not
   * stop the others: each result carries that job's error, or null. Malformed input (or an id
   * twice) throws InvalidArgumentError before anything is written.
   */
  releaseJobs(owner: string, releases: readonly JobReleaseItem[]): Promise<ReleaseResult[]>;

  /**
   * Moves the lease end to now + leaseMs for each listed job `owner` still holds.
   * Returns the ids extended; a missing id means the lease was lost.
   */
  extendLeases(ids: readonly string[], owner: string, leaseMs: number, now: Date): Promise<string[]>;

  /** Calls `listener` for every event; returns a function that stops it. Listeners never throw into the store. */
  subscribe(listener: StoreListener): Unsubscribe;

  /** Releases connections and listeners. Closing twice is harmless. */
  close(): Promise<void>;
}

/** See {@link JobStore.notifications}. */
export type NotificationMode = 'push' | 'poll';

/** Options of {@link JobStore.updateJob}. */
export interface UpdateOptions {
  /** Write only if the job is still at this version. */
  readonly expectedVersion?: number;
}

/** Options of {@link JobStore.acquireDueJobs}. */
export interface AcquireOptions {
  /** Who claims: a scheduler's stable, unique id. */
  readonly owner: string;
  readonly now: Date;
  /** How long the lease lasts, in milliseconds (1 .. 2^31-1). */
  readonly leaseMs: number;
  /** Most jobs to claim (1 .. 10,000). */
  readonly limit: number;
}

/** How {@link JobStore.releaseJob} leaves the job. */
export type JobRelease =
  | {
      /** The next due time, or null to leave the job paused. */
      readonly nextRunTime: Date | null;
      /** New data, if it changed. */
      readonly data?: JobData;
      /** Write only if the job is still at this version (someone may have changed it meanwhile). */
      readonly expectedVersion?: number;
    }
  | {
      /** The job is finished: delete it. */
      readonly remove: true;
      readonly expectedVersion?: number;
    };

/** One job of {@link JobStore.releaseJobs}. */
export type JobReleaseItem = JobRelease & { readonly id: string };

/** What happened to one job of {@link JobStore.releaseJobs}, in the order given. */
export interface ReleaseResult {
  readonly id: string;
  /** null when released; else why nothing was written for this job. */
  readonly error: LeaseLostError | JobLookupError | VersionConflictError | null;
}

/** Options of {@link JobStore.listJobs}. */
export interface ListOptions {
  /** Page size, 1 .. 10,000; defaults to 1,000. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | null;
}

/** A page of {@link JobStore.listJobs}. */
export interface JobPage {
  readonly jobs: JobRecord[];
  /** Records on this page that could not be decoded: skipped, kept, reported here. */
  readonly corrupt: CorruptJobError[];
  /** Pass to the next call; null after the last page. */
  readonly nextCursor: string | null;
}

/**
 * What subscribers hear. Change events (`added` .. `released`) come from every process sharing
 * the store when it pushes; `corrupt` is local: this instance passed a record it could not decode.
 */
export type StoreEvent =
  | { readonly type: 'added'; readonly jobId: string; readonly nextRunTime: Date | null }
  | { readonly type: 'updated'; readonly jobId: string; readonly nextRunTime: Date | null }
  | { readonly type: 'removed'; readonly jobId: string }
  | { readonly type: 'cleared' }
  | { readonly type: 'released'; readonly jobId: string; readonly nextRunTime: Date | null }
  | { readonly type: 'corrupt'; readonly jobId: string; readonly error: CorruptJobError };

/** The change events, which a backend carries between processes. */
export type ChangeEvent = Exclude<StoreEvent, { type: 'corrupt' }>;

export type StoreListener = (event: StoreEvent) => void;
export type Unsubscribe = () => void;
