import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveService, type SERVICES, type ConformanceTarget, type RawAccess } from '@jobstore/conformance';
import type { StoredJob } from '@jobstore/core';
import { DIALECTS, JobQueries, MIGRATIONS_TABLE, SqlJobStore, type AnyKysely, type SqlDialectName } from '@jobstore/store-sql';
import Database from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { toStoredJob } from '../../src/rows.js';

/** A Kysely for the tests' own look past the store. */
export function adminKysely(dialect: SqlDialectName, url: string): AnyKysely {
  switch (dialect) {
    case 'postgres':
      return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4 }) }) });
    case 'mysql':
      return new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 4, charset: 'utf8mb4' }) }) });
    case 'sqlite':
      return new Kysely({ dialect: new SqliteDialect({ database: new Database(url) }) });
  }
}

/** Reads and writes rows past the store, creating the table first by opening a store on it. */
export function rawAccess(admin: AnyKysely, dialect: SqlDialectName): RawAccess {
  const ready = new Map<string, Promise<void>>();
  const ensure = (namespace: string): Promise<void> => {
    let done = ready.get(namespace);
    if (done === undefined) {
      const store = new SqlJobStore({ db: admin, dialect, namespace });
      done = store.open().finally(() => store.close());
      ready.set(namespace, done);
    }
    return done;
  };
  return {
    async read(namespace, id) {
      await ensure(namespace);
      const { rows } = await new JobQueries(namespace, DIALECTS[dialect]).get(id).execute(admin);
      return rows[0] === undefined ? null : toStoredJob(rows[0]);
    },
    async write(namespace, row: StoredJob) {
      await ensure(namespace);
      const t = sql.table(namespace);
      const values = sql`(${row.id}, ${row.nextRunTime}, ${DIALECTS[dialect].data(row.data)}, ${row.version}, ${row.acquiredBy}, ${row.acquiredUntil})`;
      const columns = sql`(id, next_run_time, data, version, acquired_by, acquired_until)`;
      if (dialect === 'mysql') await sql`REPLACE INTO ${t} ${columns} VALUES ${values}`.execute(admin);
      else {
        await sql`DELETE FROM ${t} WHERE id = ${row.id}`.execute(admin);
        await sql`INSERT INTO ${t} ${columns} VALUES ${values}`.execute(admin);
      }
    },
  };
}

/** Drops what a namespace left: its table and its migration record. */
export async function dropNamespace(admin: AnyKysely, namespace: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${sql.table(namespace)}`.execute(admin);
  await sql`DELETE FROM ${sql.table(MIGRATIONS_TABLE)} WHERE table_name = ${namespace}`.execute(admin).catch(() => undefined);
}

/** A conformance target for a server found by the shared helper (env var, container, local port). */
export async function serverTarget(name: string, service: (typeof SERVICES)['postgres' | 'mariadb' | 'mysql'], dialect: 'postgres' | 'mysql'): Promise<ConformanceTarget & { url: string }> {
  const found = await resolveService(service);
  if (!found.available) {
    return { name, skip: found.reason, url: '', open: () => new SqlJobStore({ url: 'sqlite::memory:' }), raw: { read: async () => null, write: async () => undefined } };
  }
  const admin = adminKysely(dialect, found.url);
  return {
    name,
    url: found.url,
    open: (namespace) => new SqlJobStore({ url: found.url, namespace, poolSize: 4 }),
    raw: rawAccess(admin, dialect),
    drop: (namespace) => dropNamespace(admin, namespace),
    teardown: async () => {
      await admin.destroy();
      await found.stop();
    },
  };
}

/** SQLite in a temporary file: every store opened is its own connection to the file. */
export function sqliteFileTarget(): ConformanceTarget {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-sqlite-'));
  const file = join(dir, 'jobs.db');
  const admin = adminKysely('sqlite', file);
  return {
    name: 'sqlite (file)',
    open: (namespace) => new SqlJobStore({ url: `sqlite:${file}`, namespace }),
    raw: rawAccess(admin, 'sqlite'),
    drop: (namespace) => dropNamespace(admin, namespace),
    teardown: async () => {
      await admin.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite in memory: one database, shared by every store through the caller's-Kysely path. */
export function sqliteMemoryTarget(): ConformanceTarget {
  const db = adminKysely('sqlite', ':memory:');
  return {
    name: 'sqlite (:memory:)',
    open: (namespace) => new SqlJobStore({ db, dialect: 'sqlite', namespace }),
    raw: rawAccess(db, 'sqlite'),
    drop: (namespace) => dropNamespace(db, namespace),
    teardown: () => db.destroy(),
  };
}
