import { BaseJobStore, checkStoreOptions, InvalidArgumentError, type LazyStoreDriver, type StoreOptions } from '@jobstore/core';
import { connectUrl, listenerFor, MYSQL_LOCKING, parseUrl, sqliteLocking, type Connection } from './connect.js';
import { DIALECTS, type AnyKysely, type SqlDialectName } from './dialect.js';
import { assertTableName } from './schema.js';
import { LockingDriver } from './locking-driver.js';
import { PacketLimit } from './packet-limit.js';
import { PostgresDriver } from './postgres-driver.js';
import type { SqlDriver } from './sql-driver.js';

/** Open from a URL: the store makes (and on close, ends) its own pool. Takes every store's options too ({@link StoreOptions}: `logger`). */
export interface SqlUrlOptions extends StoreOptions {
  /** `postgres://…`, `mysql://…` / `mariadb://…`, `sqlite:jobs.db` or `sqlite::memory:`. */
  readonly url: string;
  /** The jobs table; defaults to `"jobstore_jobs"`. A letter, then up to 47 letters, digits or underscores. */
  readonly namespace?: string;
  /** Connections in the pool (PostgreSQL, MySQL); defaults to 10. */
  readonly poolSize?: number;
}

/** Open on a caller's Kysely instance, which the caller keeps and destroys. Takes every store's options too ({@link StoreOptions}: `logger`). */
export interface SqlKyselyOptions extends StoreOptions {
  readonly db: AnyKysely;
  readonly dialect: SqlDialectName;
  readonly namespace?: string;
  /**
   * PostgreSQL: a connection string for the one extra connection that LISTENs for other
   * processes' changes. Without it the store declares polling.
   */
  readonly listenUrl?: string;
}

export type SqlJobStoreOptions = SqlUrlOptions | SqlKyselyOptions;

const DEFAULT_TABLE = 'jobstore_jobs';

/**
 * APScheduler's SQLAlchemyJobStore for Node, done right for many processes: PostgreSQL
 * (claims with SKIP LOCKED, changes pushed with LISTEN/NOTIFY), MySQL 8 / MariaDB 10.6+ (SKIP
 * LOCKED, polled) and SQLite (immediate transactions, polled), through Kysely.
 */
export class SqlJobStore extends BaseJobStore {
  readonly dialect: SqlDialectName;
  /** The jobs table. */
  readonly table: string;

  constructor(options: SqlJobStoreOptions) {
    // url or db is checked below: each comes with options of its own.
    const table = checkStoreOptions(options, 'SqlJobStore', { defaultNamespace: DEFAULT_TABLE });
    assertTableName(table);
    let dialect: SqlDialectName;
    let connect: () => Promise<Connection>;
    let push: boolean;
    if ('url' in options && options.url !== undefined) {
      if ('db' in options) throw new InvalidArgumentError('SqlJobStore: give either url or db, not both');
      const target = parseUrl(options.url);
      const poolSize = options.poolSize ?? 10;
      if (!Number.isInteger(poolSize) || poolSize < 1) throw new InvalidArgumentError(`SqlJobStore: poolSize must be a positive integer, got ${poolSize}`);
      dialect = target.dialect;
      push = dialect === 'postgres';
      connect = () => connectUrl(target, poolSize);
    } else if ('db' in options && options.db !== undefined) {
      const { db, listenUrl } = options;
      dialect = options.dialect;
      if (typeof dialect !== 'string' || !Object.hasOwn(DIALECTS, dialect)) throw new InvalidArgumentError(`SqlJobStore: dialect must be postgres, mysql or sqlite, got ${JSON.stringify(dialect)}`);
      if (listenUrl !== undefined && dialect !== 'postgres') throw new InvalidArgumentError('SqlJobStore: listenUrl is for PostgreSQL only');
      push = listenUrl !== undefined;
      connect = async () => ({ db, listener: listenUrl === undefined ? undefined : await listenerFor(listenUrl), destroy: async () => undefined, lockKey: db });
    } else {
      throw new InvalidArgumentError('SqlJobStore: give a url, or a Kysely instance as db with its dialect');
    }
    const name = `${dialect}:${table}`;
    // Made on first open: the database client is an optional peer dependency, imported only then.
    const source: LazyStoreDriver = {
      name,
      notifications: push ? 'push' : 'poll',
      async connect(): Promise<SqlDriver> {
        const connection = await connect();
        const config = { db: connection.db, dialect: DIALECTS[dialect], table, destroy: () => connection.destroy() };
        if (dialect === 'postgres') return new PostgresDriver(config, connection.listener);
        if (dialect === 'mysql') return new LockingDriver(config, MYSQL_LOCKING, new PacketLimit(name));
        return new LockingDriver(config, sqliteLocking(connection.lockKey));
      },
    };
    super(source, options);
    this.dialect = dialect;
    this.table = table;
  }
}
