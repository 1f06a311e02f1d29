import {
  JobStoreError,
  releaseRefusal,
  type DriverEvent,
  type ListPosition,
  type ReleaseOutcome,
  type RowChanges,
  type RowRelease,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';
import type { AnyKysely, DialectSql } from './dialect.js';
import { JobQueries } from './queries.js';
import { toStoredJob } from './rows.js';
import { detectFlavour, migrate } from './schema.js';
import { guard, isTransient } from './transient.js';

/** What every SQL driver is built from. */
export interface SqlDriverConfig {
  readonly db: AnyKysely;
  readonly dialect: DialectSql;
  readonly table: string;
  /** Closes what the store opened itself (its pool, its listener); nothing for a caller's Kysely. */
  readonly destroy: () => Promise<void>;
}

/**
 * The reads and the schema step every dialect shares; subclasses write. Every call goes through
 * `guard`, so a lost connection surfaces as StoreUnavailableError and the pool reconnects.
 */
export abstract class SqlDriver implements StoreDriver {
  readonly name: string;
  abstract readonly notifications: 'push' | 'poll';
  protected readonly db: AnyKysely;
  protected readonly q: JobQueries;
  protected readonly dialect: DialectSql;
  protected readonly table: string;
  readonly #destroy: () => Promise<void>;

  constructor(config: SqlDriverConfig) {
    this.db = config.db;
    this.dialect = config.dialect;
    this.table = config.table;
    this.q = new JobQueries(config.table, config.dialect);
    this.name = `${config.dialect.name}:${config.table}`;
    this.#destroy = config.destroy;
  }

  async open(deliver: (event: DriverEvent) => void): Promise<void> {
    await this.guard('open', async () => {
      const flavour = await detectFlavour(this.db, this.dialect.name);
      await this.exclusive(() => migrate(this.db, this.table, flavour)).catch((error: unknown) => {
        // The server refused the schema (permissions, a clash with something of the same name):
        // a typed error that says so, not the driver's own. Connection losses stay transient.
        if (error instanceof JobStoreError || isTransient(error)) throw error;
        throw new JobStoreError(`store ${JSON.stringify(this.name)}: could not create or migrate table ${JSON.stringify(this.table)}: ${error instanceof Error ? error.message : String(error)}`, {
          store: this.name,
          cause: error,
        });
      });
    });
    await this.listen(deliver);
  }

  /** Starts delivering notifications; called once the schema is in place. */
  protected abstract listen(deliver: (event: DriverEvent) => void): Promise<void>;

  async close(): Promise<void> {
    await this.#destroy();
  }

  abstract insert(row: StoredJob): Promise<boolean>;
  abstract update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome>;
  abstract remove(id: string): Promise<boolean>;
  abstract removeAll(): Promise<void>;
  abstract acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]>;
  abstract release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome>;
  abstract extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]>;

  get(id: string): Promise<StoredJob | null> {
    return this.guard('lookupJob', async () => {
      const { rows } = await this.q.get(id).execute(this.db);
      return rows[0] === undefined ? null : toStoredJob(rows[0]);
    });
  }

  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.guard('listJobs', async () => {
      const out: StoredJob[] = [];
      if (after === null || after.nextRunTime !== null) {
        const { rows } = await this.q.scheduled(after, limit).execute(this.db);
        out.push(...rows.map(toStoredJob));
      }
      if (out.length < limit) {
        const afterId = after !== null && after.nextRunTime === null ? after.id : null;
        const { rows } = await this.q.paused(afterId, limit - out.length).execute(this.db);
        out.push(...rows.map(toStoredJob));
      }
      return out;
    });
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.guard('getDueJobs', async () => {
      const { rows } = await this.q.due(now, after, limit).execute(this.db);
      return rows.map(toStoredJob);
    });
  }

  nextRunTime(): Promise<number | null> {
    return this.guard('getNextRunTime', async () => {
      const { rows } = await this.q.nextRunTime().execute(this.db);
      const times = [rows[0]?.free, rows[0]?.leased].filter((t) => t !== null && t !== undefined).map(Number);
      return times.length === 0 ? null : Math.min(...times);
    });
  }

  /** Runs a write apart from this process's other writes to the same database, where the dialect needs it. */
  protected exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  protected guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guard(this.name, operation, work);
  }
}

/**
 * Why a guarded release wrote nothing, by core's rule (releaseRefusal: gone, then not held, then
 * stale). Only the version was left to fail, so a row the first two checks pass is stale.
 */
export function releaseFailure(current: StoredJob | null, owner: string): ReleaseOutcome {
  return releaseRefusal(current, owner, undefined) ?? { status: 'conflict', version: current?.version ?? 0 };
}
