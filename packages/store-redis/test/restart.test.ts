import { RedisServer } from '@jobstore/conformance';
import { InvalidArgumentError, StoreUnavailableError, type StoreEvent } from '@jobstore/core';
import { createStore, RedisJobStore } from '@jobstore/store-redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

/** Slow things (a server restarting, a listener reconnecting) get 20 s, checked every 200 ms. */
const SLOW = { timeout: 20_000, interval: 200 };

describe("a Redis server that dies and comes back (a server of the test's own, append-only)", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
  });
  afterAll(() => server?.destroy());

  it('calls fail with StoreUnavailableError while it is down; nothing is lost; the same store works again', async () => {
    const store = new RedisJobStore({ url: server.url, namespace: 'restart' });
    const listener = new RedisJobStore({ url: server.url, namespace: 'restart' });
    const heard: StoreEvent[] = [];
    listener.subscribe((event) => heard.push(event));
    try {
      await listener.open();
      for (let i = 0; i < 100; i++) await store.addJob({ id: `job-${i}`, nextRunTime: at(i), data: { i, payload: 'x'.repeat(100) } });
      await store.acquireDueJobs({ owner: 'w', now: at(10), leaseMs: 60_000, limit: 5 });

      await server.kill();
      for (const call of [() => store.lookupJob('job-1'), () => store.addJob({ id: 'lost', nextRunTime: at(0) }), () => store.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 1, limit: 1 })]) {
        await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
      }

      await server.start();
      const jobs = await vi.waitFor(() => store.getAllJobs(), SLOW);
      expect(jobs.map((job) => job.id).sort()).toStrictEqual(Array.from({ length: 100 }, (_, i) => `job-${i}`).sort());
      expect(await store.lookupJob('job-3')).toMatchObject({ data: { i: 3, payload: 'x'.repeat(100) }, acquiredBy: 'w' });
      expect(await store.lookupJob('lost')).toBeNull();
      // The subscriber reconnected and subscribed again by itself.
      let n = 0;
      await vi.waitFor(async () => {
        await store.addJob({ id: `probe-${n++}`, nextRunTime: at(0) });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard.some((e) => e.type === 'added' && e.jobId.startsWith('probe-'))).toBe(true);
      }, SLOW);
    } finally {
      await store.close();
      await listener.close();
    }
  }, 60_000);
});

describe('RedisJobStore options', () => {
  it('keeps every key under one hash tag, named for the namespace', () => {
    const store = new RedisJobStore({ url: 'redis://127.0.0.1:1', namespace: 'billing', prefix: 'app1' });
    expect(store.keys.all).toStrictEqual(['app1:{billing}:jobs', 'app1:{billing}:due', 'app1:{billing}:paused', 'app1:{billing}:owners', 'app1:{billing}:leases']);
    expect(store.keys.channel).toBe('app1:{billing}:events');
    expect(store.name).toBe('redis:billing');
    expect(store.notifications).toBe('push');
  });

  it('refuses prefixes and namespaces that could step outside their keys, and contradictory options', () => {
    for (const prefix of ['a{b}', 'a b', '', 'x'.repeat(65), 'a\nb']) expect(() => new RedisJobStore({ url: 'redis://h', prefix })).toThrow(InvalidArgumentError);
    for (const namespace of ['a}b', 'a:b', '*', '']) expect(() => new RedisJobStore({ url: 'redis://h', namespace })).toThrow(InvalidArgumentError);
    expect(() => new RedisJobStore({})).toThrow(/exactly one of client, url or cluster/);
    expect(() => new RedisJobStore({ url: 'http://h' })).toThrow(/redis:\/\//);
    expect(createStore({ url: 'redis://127.0.0.1:1' })).toBeInstanceOf(RedisJobStore);
  });

  it('a store on a server that is not there fails with StoreUnavailableError', async () => {
    const store = new RedisJobStore({ url: 'redis://127.0.0.1:1' });
    try {
      await expect(store.getAllJobs()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
