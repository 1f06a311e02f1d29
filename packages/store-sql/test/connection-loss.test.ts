import { createPgCluster, resolveService, SERVICES, type OwnServer } from '@jobstore/conformance';
import { StoreUnavailableError, type JobStore, type StoreEvent } from '@jobstore/core';
import { SqlJobStore } from '@jobstore/store-sql';
import { Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminKysely, dropNamespace } from './support/targets.js';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

/** Slow things (a server restarting, a listener reconnecting) get 20 s, checked every 200 ms. */
const SLOW = { timeout: 20_000, interval: 200 };

/** Fails unless `call` succeeds or fails with StoreUnavailableError: any other error is a bug. */
async function succeedsOrUnavailable(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreUnavailableError);
  }
}

/** Adds probe jobs until `listener` hears one: proves the listening connection is back. */
async function hearsAgain(writer: JobStore, events: StoreEvent[]): Promise<void> {
  let n = 0;
  await vi.waitFor(async () => {
    await writer.addJob({ id: `probe-${n++}`, nextRunTime: at(0) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.some((e) => e.type === 'added' && e.jobId.startsWith('probe-'))).toBe(true);
  }, SLOW);
}

describe("PostgreSQL server restart (a cluster of the test's own)", () => {
  let cluster: OwnServer;
  beforeAll(async () => {
    cluster = await createPgCluster();
  }, 60_000);
  afterAll(() => cluster?.destroy());

  it('calls fail with StoreUnavailableError while the server is down, and the same store works once it is back', async () => {
    const store = new SqlJobStore({ url: cluster.url, namespace: 'restart', poolSize: 2 });
    const listener = new SqlJobStore({ url: cluster.url, namespace: 'restart', poolSize: 1 });
    try {
      const events: StoreEvent[] = [];
      listener.subscribe((event) => events.push(event));
      await listener.open();
      await store.addJob({ id: 'survivor', nextRunTime: at(1000), data: { kept: true } });

      await cluster.kill();
      const down = await Promise.allSettled([store.lookupJob('survivor'), store.addJob({ id: 'lost', nextRunTime: at(0) }), store.getNextRunTime()]);
      for (const result of down) {
        expect(result.status).toBe('rejected');
        expect(result.status === 'rejected' && result.reason).toBeInstanceOf(StoreUnavailableError);
      }

      await cluster.start();
      const back = await vi.waitFor(() => store.lookupJob('survivor'), SLOW);
      expect(back).toMatchObject({ id: 'survivor', nextRunTime: at(1000), data: { kept: true } });
      expect(await store.lookupJob('lost')).toBeNull();
      await hearsAgain(store, events);
    } finally {
      await store.close();
      await listener.close();
    }
  }, 90_000);

  it('a store opened while the server is down fails with StoreUnavailableError, then opens once it is up', async () => {
    await cluster.kill();
    const store = new SqlJobStore({ url: cluster.url, namespace: 'late', poolSize: 1 });
    try {
      await expect(store.getAllJobs()).rejects.toBeInstanceOf(StoreUnavailableError);
      await cluster.start();
      expect(await vi.waitFor(() => store.getAllJobs(), SLOW)).toStrictEqual([]);
    } finally {
      await store.close();
    }
  }, 90_000);
});

const pg = await resolveService(SERVICES.postgres);
describe.skipIf(!pg.available)('PostgreSQL dropped connections', () => {
  it('a terminated pool and listening connection are replaced without a new store', async () => {
    if (!pg.available) return;
    const app = `jobstore_drop_${process.pid}`;
    const url = `${pg.url}${pg.url.includes('?') ? '&' : '?'}application_name=${app}`;
    const admin = adminKysely('postgres', pg.url);
    const namespace = `drop_${process.pid}`;
    const store = new SqlJobStore({ url, namespace, poolSize: 2 });
    const events: StoreEvent[] = [];
    store.subscribe((event) => events.push(event));
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      const killed = await sql<{ n: number }>`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = ${app}`.execute(admin);
      expect(killed.rows[0]?.n).toBeGreaterThanOrEqual(2); // a pooled connection and the listener
      await succeedsOrUnavailable(() => store.lookupJob('a'));
      expect(await vi.waitFor(() => store.lookupJob('a'), SLOW)).toMatchObject({ id: 'a' });
      await hearsAgain(store, events);
    } finally {
      await store.close();
      await dropNamespace(admin, namespace);
      await admin.destroy();
    }
  }, 60_000);
});

const maria = await resolveService(SERVICES.mariadb);
describe.skipIf(!maria.available)('MariaDB dropped connections', () => {
  it('a killed connection surfaces as StoreUnavailableError or is replaced, and the store keeps working', async () => {
    if (!maria.available) return;
    const admin = adminKysely('mysql', maria.url);
    // The caller's-Kysely path, with one connection, so the test knows which one to kill.
    const db = new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: maria.url, connectionLimit: 1, charset: 'utf8mb4' }) }) });
    const namespace = `drop_${process.pid}`;
    const store = new SqlJobStore({ db, dialect: 'mysql', namespace });
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      const { rows } = await sql<{ id: number }>`SELECT CONNECTION_ID() AS id`.execute(db);
      await sql.raw(`KILL ${Number(rows[0]?.id)}`).execute(admin);
      await succeedsOrUnavailable(() => store.lookupJob('a'));
      await succeedsOrUnavailable(() => store.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 1000, limit: 1 }));
      expect(await vi.waitFor(() => store.lookupJob('a'), SLOW)).toMatchObject({ id: 'a' });
      expect(await vi.waitFor(() => store.getAllJobs(), SLOW)).toHaveLength(1);
    } finally {
      await store.close();
      await db.destroy();
      await dropNamespace(admin, namespace);
      await admin.destroy();
    }
  }, 60_000);
});
