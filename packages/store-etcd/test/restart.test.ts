import { requireServices, startEtcd, type OwnServer } from '@jobstore/conformance';
import { StoreUnavailableError, type StoreEvent } from '@jobstore/core';
import { EtcdJobStore } from '@jobstore/store-etcd';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);
/** Slow things (a server restarting, a watch reconnecting) get 30 s, checked every 200 ms. */
const SLOW = { timeout: 30_000, interval: 200 };
// Debian's etcd-server (scripts/etcd.sh start installs it); on CI its absence fails the run.
const installed = existsSync('/usr/bin/etcd');
if (!installed && requireServices()) throw new Error('no /usr/bin/etcd for the restart test: run scripts/etcd.sh start (JOBSTORE_REQUIRE_SERVICES=1)');

describe.skipIf(!installed)("an etcd server that dies and comes back (a server of the test's own)", () => {
  let server: OwnServer;
  beforeAll(async () => {
    server = await startEtcd();
  });
  afterAll(() => server?.destroy());

  it('calls fail with StoreUnavailableError while it is down; nothing is lost; the watch is re-established', async () => {
    const store = new EtcdJobStore({ hosts: server.url, namespace: 'restart', callTimeout: 2000 });
    const listener = new EtcdJobStore({ hosts: server.url, namespace: 'restart', callTimeout: 2000 });
    const heard: StoreEvent[] = [];
    listener.subscribe((event) => heard.push(event));
    try {
      await listener.open();
      for (let i = 0; i < 50; i++) await store.addJob({ id: `job-${i}`, nextRunTime: at(i), data: { i } });
      await store.acquireDueJobs({ owner: 'w', now: at(10), leaseMs: 60_000, limit: 5 });
      await vi.waitFor(() => expect(heard.filter((e) => e.type === 'added')).toHaveLength(50), SLOW);

      await server.kill();
      for (const call of [() => store.lookupJob('job-1'), () => store.addJob({ id: 'lost', nextRunTime: at(0) }), () => store.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 1, limit: 1 })]) {
        await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
      }

      await server.start();
      const jobs = await vi.waitFor(() => store.getAllJobs(), SLOW);
      expect(jobs.map((job) => job.id).sort()).toStrictEqual(Array.from({ length: 50 }, (_, i) => `job-${i}`).sort());
      expect(await store.lookupJob('job-3')).toMatchObject({ data: { i: 3 }, acquiredBy: 'w' });
      expect(await store.lookupJob('lost')).toBeNull();
      // The listener's watch came back by itself: it hears a change made after the restart.
      await store.updateJob('job-7', { data: { i: 70 } });
      await vi.waitFor(() => expect(heard.some((e) => e.type === 'updated' && e.jobId === 'job-7')).toBe(true), SLOW);
    } finally {
      await store.close();
      await listener.close();
    }
  }, 120_000);
});
