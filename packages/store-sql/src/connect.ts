import { resolve } from 'node:path';
import { InvalidArgumentError } from '@jobstore/core';
import { Kysely, MysqlDialect, PostgresDialect, sql, SqliteDialect } from 'kysely';
import type { AnyDatabase, AnyKysely, SqlDialectName } from './dialect.js';
import type { Locking } from './locking-driver.js';
import { mutexFor } from './mutex.js';
import { PgListener } from './pg-listener.js';
import { inTransaction } from './transaction.js';

/** A database the store talks to, and how to let go of it. */
export interface Connection {
  readonly db: AnyKysely;
  /** The LISTEN connection (PostgreSQL only, and only when the store knows how to connect). */
  readonly listener: PgListener | undefined;
  /** Ends what the store itself opened. */
  destroy(): Promise<void>;
  /** What identifies the database for writes that must take turns in this process (SQLite). */
  readonly lockKey: string | object;
}

/** A parsed connection URL. */
export type SqlUrl = { readonly dialect: 'postgres'; readonly url: string } | { readonly dialect: 'mysql'; readonly url: string } | { readonly dialect: 'sqlite'; readonly path: string };

/**
 * `postgres://` or `postgresql://`; `mysql://` or `mariadb://`; `sqlite:path/to/file.db`,
 * `sqlite:///absolute/path.db` or `sqlite::memory:`.
 */
export function parseUrl(url: unknown): SqlUrl {
  if (typeof url !== 'string') throw new InvalidArgumentError(`SqlJobStore: url must be a string, got ${typeof url}`);
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  if (/^(mysql|mariadb):\/\//i.test(url)) return { dialect: 'mysql', url: url.replace(/^mariadb:/i, 'mysql:') };
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new InvalidArgumentError('SqlJobStore: a sqlite url needs a file path (sqlite:jobs.db) or :memory:');
    return { dialect: 'sqlite', path };
  }
  const scheme = url.split(':')[0] ?? '';
  throw new InvalidArgumentError(`SqlJobStore: unsupported url scheme ${JSON.stringify(scheme)}; use postgres://, mysql://, mariadb:// or sqlite:`);
}

/** Imports an optional peer dependency, or says which one to install. */
async function peer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new InvalidArgumentError(`SqlJobStore: this database needs the "${name}" package: npm install ${name} (${(error as Error).message})`);
  }
}

/** Opens a pool (and, for PostgreSQL, a listening connection) from a URL. */
export async function connectUrl(target: SqlUrl, poolSize: number): Promise<Connection> {
  switch (target.dialect) {
    case 'postgres': {
      const pg = (await peer('pg', () => import('pg'))).default;
      const pool = new pg.Pool({ connectionString: target.url, max: poolSize });
      // A client whose server goes away emits 'error', idle or checked out (pg-pool listens only
      // while idle); unhandled, it would end the process. The query in flight still fails, and
      // the pool drops the client.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      const db = new Kysely<AnyDatabase>({ dialect: new PostgresDialect({ pool }) });
      const listener = new PgListener(() => new pg.Client({ connectionString: target.url }));
      return { db, listener, destroy: () => db.destroy(), lockKey: db };
    }
    case 'mysql': {
      const mysql = (await peer('mysql2', () => import('mysql2'))).default;
      const pool = mysql.createPool({
        uri: target.url,
        connectionLimit: poolSize,
        charset: 'utf8mb4',
      });
      const db = new Kysely<AnyDatabase>({ dialect: new MysqlDialect({ pool }) });
      return { db, listener: undefined, destroy: () => db.destroy(), lockKey: db };
    }
    case 'sqlite': {
      const Database = (await peer('better-sqlite3', () => import('better-sqlite3'))).default;
      const database = new Database(target.path);
      // WAL lets readers run beside a writer; busy_timeout makes a second process wait its turn.
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      database.pragma('synchronous = NORMAL');
      const db = new Kysely<AnyDatabase>({ dialect: new SqliteDialect({ database }) });
      // Every connection to one file in this process shares a lock key; :memory: is private.
      const lockKey = target.path === ':memory:' ? db : resolve(target.path);
      return { db, listener: undefined, destroy: () => db.destroy(), lockKey };
    }
  }
}

/** A listening connection for a caller's own Kysely instance on PostgreSQL. */
export async function listenerFor(connectionString: string): Promise<PgListener> {
  const pg = (await peer('pg', () => import('pg'))).default;
  return new PgListener(() => new pg.Client({ connectionString }));
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** Row locks and SKIP LOCKED in READ COMMITTED (no gap locks), retried on deadlock. */
export const MYSQL_LOCKING: Locking = {
  exclusive: (work) => work(),
  claimByUpdate: false,
  async transaction(db, work) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().setIsolationLevel('read committed').execute(work);
      } catch (error) {
        if (errorCode(error) !== 'ER_LOCK_DEADLOCK' || attempt >= 5) throw error;
      }
    }
  },
  lock: sql`FOR UPDATE`,
  skipLocked: sql`FOR UPDATE SKIP LOCKED`,
  isDuplicate: (error) => errorCode(error) === 'ER_DUP_ENTRY',
};

/**
 * BEGIN IMMEDIATE takes the database's write lock first, so a read-then-write cannot interleave
 * with another process's; within this process, writes to one database take turns (`key`: the
 * file's absolute path, or the caller's database handle).
 */
export function sqliteLocking(key: string | object): Locking {
  const mutex = mutexFor(key);
  return { ...SQLITE_STATEMENTS, exclusive: (work) => mutex.run(work) };
}

const SQLITE_STATEMENTS: Omit<Locking, 'exclusive'> = {
  claimByUpdate: true,
  transaction(db, work) {
    return db.connection().execute((conn) => inTransaction(conn, sql`BEGIN IMMEDIATE`, () => work(conn)));
  },
  lock: sql``,
  skipLocked: sql``,
  isDuplicate: (error) => errorCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
};

export type { SqlDialectName };
