import { resolveService, SERVICES } from '@jobstore/conformance';
import { createJobstoreHandler } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { SqlJobStore } from '@jobstore/store-sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopScheduler } from './servers.js';

const mariadb = await resolveService(SERVICES.mariadb);

describe.skipIf(!mariadb.available)('a job larger than the store takes, through the API (MariaDB)', () => {
  let scheduler: Scheduler;
  let store: SqlJobStore;
  beforeAll(async () => {
    if (!mariadb.available) return;
    store = new SqlJobStore({ url: mariadb.url, namespace: `api_limits_${process.pid}`, logger: false });
    scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    scheduler.registerTask('tasks:ok', () => undefined);
    await scheduler.start({ paused: true });
  });
  afterAll(async () => {
    if (!mariadb.available) return;
    await scheduler.removeAllJobs().catch(() => undefined);
    await stopScheduler(scheduler);
    await mariadb.stop?.();
  });

  it('is a 413 naming the limit, not a 500, and the store goes on', async () => {
    // A handler that takes large bodies: the store's own limit (max_allowed_packet, 16 MiB by default) is what refuses.
    const handler = createJobstoreHandler(scheduler, { auth: false, maxBodyBytes: 64 * 1024 * 1024 });
    const post = (body: object): Promise<Response> =>
      handler(new Request('http://localhost/scheduler/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const big = await post({ id: 'big', func: 'tasks:ok', trigger: 'interval', minutes: 5, args: ['x'.repeat(40 * 1024 * 1024)] });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { reason: string }).reason).toMatch(/max_allowed_packet/);
    expect((await post({ id: 'small', func: 'tasks:ok', trigger: 'interval', minutes: 5 })).status).toBe(201);
    expect((await scheduler.getJobs()).map((job) => job.id)).toStrictEqual(['small']);
  }, 60_000);
});
