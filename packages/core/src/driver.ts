import type { NotificationMode } from './job-store.js';
import type { Logger } from './logger.js';

/**
 * The seam between core and a backend. A backend implements only storage: rows, queries,
 * atomic claims and carrying notifications. {@link BaseJobStore} does everything shared on top
 * (argument checks, the codec, corrupt-record handling, errors, events, the closed state).
 *
 * Times are epoch milliseconds. `data` is the codec's text, stored and returned unchanged.
 * Ordering of ids is by Unicode code point (UTF-8 byte order, see compareIds), case- and
 * space-sensitive: "a", "A" and "a " are three ids.
 */
export interface StoreDriver {
  /** `"<backend>:<namespace>"`. */
  readonly name: string;
  readonly notifications: NotificationMode;

  /** Writes the row unless the id exists. Returns false (writing nothing) when it does. */
  insert(row: StoredJob): Promise<boolean>;

  /**
   * Applies `changes` and sets version = old + 1 in one atomic step, if the row exists and
   * (when given) is at `expectedVersion`. Leaves the lease alone.
   */
  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome>;

  /** Deletes the row; false when there was none. */
  remove(id: string): Promise<boolean>;

  /** Deletes every row of this namespace. */
  removeAll(): Promise<void>;

  get(id: string): Promise<StoredJob | null>;

  /**
   * Up to `limit` rows in listing order strictly after `after` (from the start when null):
   * scheduled rows by (nextRunTime, id), then paused rows by id.
   */
  list(after: ListPosition | null, limit: number): Promise<StoredJob[]>;

  /** Up to `limit` rows with nextRunTime <= now, by (nextRunTime, id), after `after` when given. */
  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]>;

  /** min over scheduled rows of max(nextRunTime, acquiredUntil + 1) (acquiredUntil counted only when set). */
  nextRunTime(): Promise<number | null>;

  /**
   * One atomic claim: up to `limit` rows with nextRunTime <= now whose acquiredBy is null or
   * `owner`, or whose acquiredUntil < now, by (nextRunTime, id); sets acquiredBy = owner and
   * acquiredUntil = leaseUntil on them and returns them as written. Two concurrent calls never
   * both get a row unless its lease ended in between.
   */
  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]>;

  /**
   * If `owner` holds the row (acquiredBy === owner) and, when given, it is at `expectedVersion`:
   * writes `change` (clearing the lease, version + 1) or deletes the row, atomically.
   */
  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome>;

  /**
   * Optional: many releases in fewer round trips, each with release's semantics; outcomes in
   * the order given. Without it, the store calls release for each.
   */
  releaseMany?(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]>;

  /** For each id held by `owner`, sets acquiredUntil = leaseUntil. Returns the ids it changed. */
  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]>;

  /**
   * Prepares storage (schema, connections) and starts delivering change notifications to
   * `deliver`: from every process when `notifications` is `push`, else at least this driver's
   * own. Called before any other method; if it rejects, it is called again by the next
   * operation. Notifications are published by the writes themselves (in the same transaction
   * or script where the backend allows). `logger` is the store's (its `logger` option): where the
   * driver reports what it cannot throw, such as a server that keeps nothing on disk.
   */
  open(deliver: (event: DriverEvent) => void, logger: Logger): Promise<void>;

  /** Frees connections and stops notifications. Called once, after open settled. */
  close(): Promise<void>;
}

/**
 * A driver made on first open, as Kysely's dialects make their driver: for a backend whose
 * client library is an optional dependency imported on demand, or whose connection is made
 * asynchronously, while a store must exist (and know its name) at construction.
 *
 * `connect` runs at the store's first `open()` or operation. If it rejects, nothing is kept and
 * the next operation calls it again. Once it has returned a driver, that driver is kept: if the
 * driver's own `open` then fails, the next operation opens the same driver again (so a pool made
 * by a failed attempt is reused, not leaked), and `close()` closes it.
 */
export interface LazyStoreDriver {
  /** `"<backend>:<namespace>"`, known before connecting (messages and logs use it). */
  readonly name: string;
  /** What the store reports until the driver is made (a scheduler decides whether to poll); then the driver's own. */
  readonly notifications: NotificationMode;
  /** Makes the driver: imports the client library, builds the pool. Not yet `open`ed. */
  connect(): Promise<StoreDriver>;
}

/** What {@link createJobStore} (and {@link BaseJobStore}) take: a driver, or one made on first open. */
export type StoreDriverSource = StoreDriver | LazyStoreDriver;

/** A job row as a backend keeps it. */
export interface StoredJob {
  readonly id: string;
  readonly nextRunTime: number | null;
  /** The codec's text, kept byte for byte. */
  readonly data: string;
  readonly version: number;
  readonly acquiredBy: string | null;
  readonly acquiredUntil: number | null;
}

/** The fields updateJob may change. */
export interface RowChanges {
  readonly nextRunTime?: number | null;
  readonly data?: string;
}

/** What releaseJob writes: a new schedule (lease cleared) or the row's removal. */
export type RowRelease = { readonly nextRunTime: number | null; readonly data?: string } | 'remove';

/** One release of releaseMany. */
export interface ReleaseItem {
  readonly id: string;
  readonly change: RowRelease;
  readonly expectedVersion: number | undefined;
}

/** Where a listing page ended: the last row's sort key. */
export interface ListPosition {
  readonly nextRunTime: number | null;
  readonly id: string;
}

export type WriteOutcome = { readonly status: 'ok'; readonly row: StoredJob } | { readonly status: 'missing' } | { readonly status: 'conflict'; readonly version: number };

export type ReleaseOutcome =
  | { readonly status: 'ok' }
  | { readonly status: 'missing' }
  | { readonly status: 'lost'; readonly holder: string | null }
  | { readonly status: 'conflict'; readonly version: number };

/** A change notification as a backend carries it (times in epoch ms). */
export type DriverEvent =
  | { readonly type: 'added' | 'updated' | 'released'; readonly jobId: string; readonly nextRunTime: number | null }
  | { readonly type: 'removed'; readonly jobId: string }
  | { readonly type: 'cleared' };
