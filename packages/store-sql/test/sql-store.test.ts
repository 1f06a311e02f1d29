import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveService, SERVICES } from '@jobstore/conformance';
import { InvalidArgumentError, type StoreEvent } from '@jobstore/core';
import { MIGRATIONS_TABLE, parseUrl, SCHEMA_VERSION, SqlJobStore, type AnyKysely, type SqlDialectName } from '@jobstore/store-sql';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { adminKysely, dropNamespace } from './support/targets.js';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

describe('connection URLs', () => {
  it('name the dialect and where to connect', () => {
    expect(parseUrl('postgres://u@h:5432/db')).toStrictEqual({ dialect: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(parseUrl('postgresql://h/db')).toMatchObject({ dialect: 'postgres' });
    expect(parseUrl('mysql://root@h/db')).toStrictEqual({ dialect: 'mysql', url: 'mysql://root@h/db' });
    expect(parseUrl('mariadb://root@h/db')).toStrictEqual({ dialect: 'mysql', url: 'mysql://root@h/db' });
    expect(parseUrl('sqlite:jobs.db')).toStrictEqual({ dialect: 'sqlite', path: 'jobs.db' });
    expect(parseUrl('sqlite:///var/lib/jobs.db')).toStrictEqual({ dialect: 'sqlite', path: '/var/lib/jobs.db' });
    expect(parseUrl('sqlite::memory:')).toStrictEqual({ dialect: 'sqlite', path: ':memory:' });
  });

  it('refuse what the store cannot open, with a typed error that says what would work', () => {
    expect(() => parseUrl('mongodb://h/db')).toThrow(InvalidArgumentError);
    expect(() => parseUrl('mongodb://h/db')).toThrow(/unsupported url scheme "mongodb"; use postgres:\/\//);
    expect(() => parseUrl('sqlite:')).toThrow(/needs a file path/);
    expect(() => parseUrl(42)).toThrow(/url must be a string/);
  });
});

describe('SqlJobStore options', () => {
  it('refuse a table name that could reach SQL unchecked', () => {
    for (const namespace of ['jobs; DROP TABLE jobs', 'a"b', 'jobs.x', '']) {
      expect(() => new SqlJobStore({ url: 'sqlite::memory:', namespace })).toThrow(InvalidArgumentError);
    }
  });

  it('refuse capitals and the names the store or the server reserve, with InvalidArgumentError', () => {
    // Capitals: SQLite (and MySQL on some systems) would take "Jobs" and "jobs" for one table.
    for (const namespace of ['Jobs', 'jobsA', 'jobstore_migrations', 'pg_class', 'pg_tables', 'sqlite_master', 'sqlite_x']) {
      expect(() => new SqlJobStore({ url: 'sqlite::memory:', namespace }), namespace).toThrow(InvalidArgumentError);
    }
    expect(() => new SqlJobStore({ url: 'sqlite::memory:', namespace: 'Jobs' })).toThrow(/capitals; use lowercase/);
    expect(() => new SqlJobStore({ url: 'sqlite::memory:', namespace: 'pg_x' })).toThrow(/is reserved/);
    expect(() => new SqlJobStore({ url: 'sqlite::memory:', namespace: 'pgx_jobs' })).not.toThrow();
  });

  it('refuse contradictory or incomplete options', () => {
    const db = adminKysely('sqlite', ':memory:');
    expect(() => new SqlJobStore({} as never)).toThrow(/give a url, or a Kysely instance/);
    expect(() => new SqlJobStore({ url: 'sqlite::memory:', db } as never)).toThrow(/either url or db/);
    expect(() => new SqlJobStore({ url: 'sqlite::memory:', poolSize: 0 })).toThrow(/poolSize/);
    expect(() => new SqlJobStore({ db, dialect: 'oracle' as SqlDialectName })).toThrow(/dialect must be/);
    // Names every object has are no dialect either.
    for (const dialect of ['constructor', 'toString', '__proto__']) expect(() => new SqlJobStore({ db, dialect: dialect as SqlDialectName })).toThrow(/dialect must be/);
    expect(() => new SqlJobStore({ db, dialect: 'sqlite', listenUrl: 'postgres://x' })).toThrow(/PostgreSQL only/);
  });

  it('are named "<dialect>:<table>", jobstore_jobs by default, and declare how they notify', () => {
    const db = adminKysely('sqlite', ':memory:');
    expect(new SqlJobStore({ url: 'sqlite::memory:' }).name).toBe('sqlite:jobstore_jobs');
    expect(new SqlJobStore({ url: 'postgres://h/db', namespace: 'jobs' })).toMatchObject({ name: 'postgres:jobs', notifications: 'push' });
    expect(new SqlJobStore({ url: 'mysql://h/db' }).notifications).toBe('poll');
    expect(new SqlJobStore({ db, dialect: 'postgres' }).notifications).toBe('poll');
    expect(new SqlJobStore({ db, dialect: 'postgres', listenUrl: 'postgres://h/db' }).notifications).toBe('push');
  });
});

interface Server {
  readonly dialect: SqlDialectName;
  readonly url: string;
  readonly admin: AnyKysely;
}

const servers: Server[] = [];
const dir = mkdtempSync(join(tmpdir(), 'jobstore-schema-'));
servers.push({ dialect: 'sqlite', url: `sqlite:${join(dir, 'schema.db')}`, admin: adminKysely('sqlite', join(dir, 'schema.db')) });
for (const [service, dialect] of [
  [SERVICES.postgres, 'postgres'],
  [SERVICES.mariadb, 'mysql'],
] as const) {
  const found = await resolveService(service);
  if (found.available) servers.push({ dialect, url: found.url, admin: adminKysely(dialect, found.url) });
}
afterAll(async () => {
  for (const server of servers) await server.admin.destroy();
  rmSync(dir, { recursive: true, force: true });
});

for (const server of servers) {
  describe(`schema on ${server.dialect}`, () => {
    it('eight stores opening one new table at the same moment create it once, and reopening keeps the jobs', async () => {
      const namespace = `schema_${server.dialect}_${process.pid}`;
      const stores = Array.from({ length: 8 }, () => new SqlJobStore({ url: server.url, namespace, poolSize: 1 }));
      try {
        await Promise.all(stores.map((store) => store.open()));
        await stores[0]?.addJob({ id: 'kept', nextRunTime: at(0) });
        const { rows } = await sql<{ version: number | string }>`SELECT version FROM ${sql.table(MIGRATIONS_TABLE)} WHERE table_name = ${namespace}`.execute(server.admin);
        expect(rows.map((row) => Number(row.version))).toStrictEqual([SCHEMA_VERSION]);
        const again = new SqlJobStore({ url: server.url, namespace });
        expect((await again.getAllJobs()).map((job) => job.id)).toStrictEqual(['kept']);
        await again.close();
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await dropNamespace(server.admin, namespace);
      }
    });

    it("namespaces named like another namespace's indexes or key are tables of their own, in either order", async () => {
      const base = `clash_${process.pid}`;
      const names = [`${base}_next_run`, base, `${base}_lease`, `${base}_pkey`];
      const stores = names.map((namespace) => new SqlJobStore({ url: server.url, namespace, poolSize: 1 }));
      try {
        for (const [i, store] of stores.entries()) await store.addJob({ id: `in-${i}`, nextRunTime: at(i) });
        for (const [i, store] of stores.entries()) expect((await store.getAllJobs()).map((job) => job.id)).toStrictEqual([`in-${i}`]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        for (const namespace of names) await dropNamespace(server.admin, namespace);
      }
    });

    it('keeps job data exactly as the codec wrote it: object keys in their order', async () => {
      const namespace = `order_${server.dialect}_${process.pid}`;
      const store = new SqlJobStore({ url: server.url, namespace });
      try {
        const data = { zeta: 1, alpha: { z: [3, 2, 1], a: null }, mid: 'x', 'a longer key': true, b: 2 };
        await store.addJob({ id: 'ordered', nextRunTime: at(0), data });
        const found = await new SqlJobStore({ url: server.url, namespace }).lookupJob('ordered');
        expect(JSON.stringify(found?.data)).toBe(JSON.stringify(data));
      } finally {
        await store.close();
        await dropNamespace(server.admin, namespace);
      }
    });

    it('a table migrated by a newer release is refused, not written to', async () => {
      const namespace = `future_${server.dialect}_${process.pid}`;
      const store = new SqlJobStore({ url: server.url, namespace });
      try {
        await store.open();
        await sql`UPDATE ${sql.table(MIGRATIONS_TABLE)} SET version = ${SCHEMA_VERSION + 1} WHERE table_name = ${namespace}`.execute(server.admin);
        const newer = new SqlJobStore({ url: server.url, namespace });
        await expect(newer.getAllJobs()).rejects.toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, but this release .* knows only up to ${SCHEMA_VERSION}: upgrade it`));
        await newer.close();
      } finally {
        await store.close();
        await dropNamespace(server.admin, namespace);
      }
    });
  });
}

const pg = servers.find((server) => server.dialect === 'postgres');
describe.skipIf(pg === undefined)('a PostgreSQL table made at schema version 1', () => {
  it('has its jsonb data column turned into text at open, and its jobs are kept', async () => {
    if (pg === undefined) return;
    const namespace = `v1_${process.pid}`;
    const t = sql.table(namespace);
    // What version 1 made: data as jsonb.
    await sql`CREATE TABLE ${t} (id text COLLATE "C" NOT NULL PRIMARY KEY, next_run_time bigint, data jsonb NOT NULL, version bigint NOT NULL, acquired_by text COLLATE "C", acquired_until bigint)`.execute(
      pg.admin,
    );
    await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATIONS_TABLE)} (table_name varchar(64) NOT NULL PRIMARY KEY, version integer NOT NULL)`.execute(pg.admin);
    await sql`INSERT INTO ${sql.table(MIGRATIONS_TABLE)} (table_name, version) VALUES (${namespace}, 1)`.execute(pg.admin);
    await sql`INSERT INTO ${t} VALUES ('old', 1000, '{"v":1,"d":{"kept":true}}'::jsonb, 1, NULL, NULL)`.execute(pg.admin);
    const store = new SqlJobStore({ url: pg.url, namespace });
    try {
      expect((await store.lookupJob('old'))?.data).toStrictEqual({ kept: true });
      const { rows } = await sql<{ type: string }>`SELECT data_type AS type FROM information_schema.columns WHERE table_name = ${namespace} AND column_name = 'data'`.execute(pg.admin);
      expect(rows.map((row) => row.type)).toStrictEqual(['text']);
      await store.addJob({ id: 'new', nextRunTime: at(0), data: { b: 1, a: 2 } });
      expect(JSON.stringify((await store.lookupJob('new'))?.data)).toBe('{"b":1,"a":2}');
    } finally {
      await store.close();
      await dropNamespace(pg.admin, namespace);
    }
  });
});

describe.skipIf(pg === undefined)("a caller's Kysely on PostgreSQL", () => {
  it('works, is left open on close, and with listenUrl hears other instances', async () => {
    if (pg === undefined) return;
    const namespace = `own_${process.pid}`;
    const a = new SqlJobStore({ db: pg.admin, dialect: 'postgres', namespace, listenUrl: pg.url });
    const b = new SqlJobStore({ db: pg.admin, dialect: 'postgres', namespace, listenUrl: pg.url });
    try {
      const heard: StoreEvent[] = [];
      b.subscribe((event) => heard.push(event));
      await b.open();
      await a.addJob({ id: 'x', nextRunTime: at(5) });
      await expect.poll(() => heard.map((e) => e.type), { timeout: 5000 }).toStrictEqual(['added']);
      await a.close();
      await b.close();
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(pg.admin);
      expect(rows).toHaveLength(1);
    } finally {
      await dropNamespace(pg.admin, namespace);
    }
  });
});
