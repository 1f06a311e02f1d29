import { execFileSync } from 'node:child_process';
import { resolveService, SERVICES, startMariaDb, type OwnServer } from '@jobstore/conformance';
import { encodeData, JobStoreError, JobTooLargeError, SerializationError, type JobRecord } from '@jobstore/core';
import { SqlJobStore, type AnyKysely } from '@jobstore/store-sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKysely, dropNamespace } from './support/targets.js';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

const mariadb = await resolveService(SERVICES.mariadb);

async function maxAllowedPacket(db: AnyKysely): Promise<number> {
  const { rows } = await sql<{ limit: number | string }>`SELECT @@max_allowed_packet AS ${sql.id('limit')}`.execute(db);
  return Number(rows[0]?.limit);
}

/** Data whose codec text is `size` bytes long (ASCII, nothing the driver escapes but the envelope's own quotes). */
function dataOfSize(size: number): { big: string } {
  const envelope = encodeData({ big: '' }).length;
  return { big: 'x'.repeat(size - envelope) };
}

async function refusal(work: Promise<unknown>): Promise<JobTooLargeError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JobTooLargeError);
  return error as JobTooLargeError;
}

describe.skipIf(!mariadb.available)('MariaDB: a job larger than max_allowed_packet', () => {
  let admin: AnyKysely;
  let store: SqlJobStore;
  let limit: number;
  const namespace = `packet_${process.pid}`;

  beforeAll(async () => {
    if (!mariadb.available) return;
    admin = adminKysely('mysql', mariadb.url);
    // The shared server's limit is read, never changed (its default is 16 MB).
    limit = await maxAllowedPacket(admin);
    store = new SqlJobStore({ url: mariadb.url, namespace, poolSize: 2 });
    await store.open();
  });
  afterAll(async () => {
    await store?.close();
    if (admin !== undefined) {
      await dropNamespace(admin, namespace);
      await admin.destroy();
    }
    if (mariadb.available) await mariadb.stop();
  });

  it('addJob: refused with JobTooLargeError naming the job, its size and the server limit; nothing written; the store works at once', async () => {
    const error = await refusal(store.addJob({ id: 'huge', nextRunTime: at(0), data: dataOfSize(limit + 1) }));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error).toBeInstanceOf(JobStoreError);
    expect(error).toMatchObject({ jobId: 'huge', store: `mysql:${namespace}`, operation: 'addJob', limit, setting: 'max_allowed_packet', direction: 'encode' });
    expect(error.size).toBeGreaterThan(limit);
    // Refused before it was sent: no server error behind it, and no connection dropped.
    expect(error.cause).toBeUndefined();
    expect(error.message).toBe(
      `cannot serialize job data of job "huge": the write takes ${error.size.toLocaleString('en-US')} bytes, more than the ${limit.toLocaleString('en-US')} bytes ` +
        `the server accepts (max_allowed_packet) in store "mysql:${namespace}" (addJob); nothing was written`,
    );
    // The very next calls, on the same pool, work.
    await store.addJob({ id: 'small', nextRunTime: at(1), data: { n: 1 } });
    expect(await store.lookupJob('huge')).toBeNull();
    expect(await store.lookupJob('small')).toMatchObject({ data: { n: 1 }, version: 1 });
    await store.removeJob('small');
  });

  it('data the driver must escape counts as escaped: text under the limit that grows past it in the statement is refused the same way', async () => {
    // JSON keeps ' as it is; the statement carries it as \' (two bytes).
    const quotes = "'".repeat(Math.ceil(limit * 0.6));
    expect(encodeData({ quotes }).length).toBeLessThan(limit);
    const error = await refusal(store.addJob({ id: 'quoted', nextRunTime: at(0), data: { quotes } }));
    expect(error.limit).toBe(limit);
    expect(error.cause).toBeUndefined();
    await store.addJob({ id: 'next', nextRunTime: at(0) });
    expect((await store.getAllJobs()).map((job) => job.id)).toStrictEqual(['next']);
    await store.removeJob('next');
  });

  it('updateJob, releaseJob and releaseJobs: refused the same way, and the stored job is left exactly as it was', async () => {
    await store.addJob({ id: 'kept', nextRunTime: at(0), data: { before: true } });
    const huge = dataOfSize(limit + 1024);

    const updated = await refusal(store.updateJob('kept', { data: huge }));
    expect(updated).toMatchObject({ jobId: 'kept', operation: 'updateJob', limit });
    const before = await store.lookupJob('kept');
    expect(before).toMatchObject({ data: { before: true }, version: 1, acquiredBy: null });

    const [claimed] = await store.acquireDueJobs({ owner: 'worker', now: at(0), leaseMs: 60_000, limit: 1 });
    expect(claimed?.id).toBe('kept');
    const released = await refusal(store.releaseJob('kept', 'worker', { nextRunTime: at(5), data: huge }));
    expect(released).toMatchObject({ jobId: 'kept', operation: 'releaseJob', limit });
    const batch = await refusal(store.releaseJobs('worker', [{ id: 'kept', nextRunTime: at(5), data: huge }]));
    expect(batch).toMatchObject({ jobId: 'kept', operation: 'releaseJobs', limit });
    const after = (await store.lookupJob('kept')) as JobRecord;
    expect({ ...after, acquiredUntil: null }).toStrictEqual({ ...claimed, acquiredUntil: null });
    expect(after.data).toStrictEqual({ before: true });

    // Still leased to the worker, which releases it normally.
    await store.releaseJob('kept', 'worker', { nextRunTime: at(5), data: { after: true } });
    expect(await store.lookupJob('kept')).toMatchObject({ data: { after: true }, version: 2, acquiredBy: null });
    await store.removeJob('kept');
  });

  it('data that fits is stored whole, even close to the limit, and a release batch larger than the limit is split into statements that fit', async () => {
    const near = dataOfSize(limit - 4096);
    await store.addJob({ id: 'near', nextRunTime: at(0), data: near });
    expect((await store.lookupJob('near'))?.data).toStrictEqual(near);
    await store.removeJob('near');

    // Three jobs of 45% of the limit each: together 1.35 times what one statement may carry.
    const ids = ['r1', 'r2', 'r3'];
    for (const id of ids) await store.addJob({ id, nextRunTime: at(0) });
    await store.acquireDueJobs({ owner: 'worker', now: at(0), leaseMs: 60_000, limit: 3 });
    const payloads = ids.map((id) => ({ id, big: id.repeat(Math.floor((limit * 0.45) / 2)) }));
    const results = await store.releaseJobs(
      'worker',
      payloads.map((data) => ({ id: data.id, nextRunTime: at(9), data })),
    );
    expect(results).toStrictEqual(ids.map((id) => ({ id, error: null })));
    for (const data of payloads) expect(await store.lookupJob(data.id)).toMatchObject({ data, version: 2, acquiredBy: null });
    for (const id of ids) await store.removeJob(id);
  });
});

function hasMariaDbBinaries(): boolean {
  try {
    execFileSync('mariadbd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A server of the test's own, since its global limit is changed.
describe.skipIf(!hasMariaDbBinaries())('MariaDB: max_allowed_packet lowered after the store read it', () => {
  let server: OwnServer;
  let admin: AnyKysely;
  beforeAll(async () => {
    server = await startMariaDb();
    admin = adminKysely('mysql', server.url);
  }, 120_000);
  afterAll(async () => {
    await admin?.destroy();
    await server?.destroy();
  });

  it("the server's refusal becomes JobTooLargeError with the limit read again, and the store works on", async () => {
    await sql`SET GLOBAL max_allowed_packet = ${16 * 1024 * 1024}`.execute(admin);
    const store = new SqlJobStore({ url: server.url, namespace: 'lowered', poolSize: 1 });
    try {
      await store.addJob({ id: 'first', nextRunTime: at(0) });
      // New connections get 4 MB; the store's one connection is cut, so its next is new.
      await sql`SET GLOBAL max_allowed_packet = ${4 * 1024 * 1024}`.execute(admin);
      const { rows } = await sql<{ id: number }>`SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND command <> 'Daemon'`.execute(admin);
      for (const { id } of rows) await sql`KILL ${sql.raw(String(Number(id)))}`.execute(admin).catch(() => undefined);
      await expect
        .poll(
          () =>
            store.lookupJob('first').then(
              () => true,
              () => false,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);

      // 8 MB: under the 16 MB the store read at open, over the server's 4 MB now.
      const error = await refusal(store.addJob({ id: 'eight', nextRunTime: at(0), data: dataOfSize(8 * 1024 * 1024) }));
      expect(error).toMatchObject({ jobId: 'eight', limit: 4 * 1024 * 1024 });
      // The server's own refusal (or the connection it dropped) is kept as the cause.
      expect(error.cause).toBeDefined();
      await expect
        .poll(
          () =>
            store.addJob({ id: 'small', nextRunTime: at(0) }).then(
              () => true,
              () => false,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
      expect((await store.getAllJobs()).map((job) => job.id).sort()).toStrictEqual(['first', 'small']);

      // The next large write is refused before it is sent, with the limit now known.
      const again = await refusal(store.addJob({ id: 'eight', nextRunTime: at(0), data: dataOfSize(8 * 1024 * 1024) }));
      expect(again.cause).toBeUndefined();
      expect(again.limit).toBe(4 * 1024 * 1024);
      await store.addJob({ id: 'after', nextRunTime: at(0) });
    } finally {
      await store.close();
    }
  }, 60_000);
});
