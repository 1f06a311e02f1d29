import { resolveService, SERVICES } from '@jobstore/conformance';
import { InvalidArgumentError, StoreClosedError, StoreUnavailableError, type StoreEvent } from '@jobstore/core';
import type { Etcd3 } from 'etcd3';
import { createStore, EtcdJobStore } from '@jobstore/store-etcd';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { admin, dropKeys, PREFIX } from './support.js';

const service = await resolveService(SERVICES.etcd);
const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

describe('EtcdJobStore options', () => {
  it('refuses namespaces and prefixes that could step outside their keys, and contradictory options', () => {
    for (const namespace of ['a/b', 'a b', '', '1a', 'x'.repeat(49), '../x']) expect(() => new EtcdJobStore({ hosts: 'http://h:1', namespace })).toThrow(InvalidArgumentError);
    for (const prefix of ['a/b', '', 'a b', 'x'.repeat(65)]) expect(() => new EtcdJobStore({ hosts: 'http://h:1', prefix })).toThrow(InvalidArgumentError);
    expect(() => new EtcdJobStore({})).toThrow(/one of hosts or client/);
    expect(() => new EtcdJobStore({ hosts: 'h:2379' })).toThrow(/http\(s\):\/\//);
    expect(() => new EtcdJobStore({ hosts: 'http://h:1', callTimeout: 5 })).toThrow(InvalidArgumentError);
    expect(() => createStore({ hosts: 'http://h:1', namespace: 'a/b' })).toThrow(InvalidArgumentError);
    expect(() => createStore({ hosts: 'http://h:1', client: {} as Etcd3 })).toThrow(/exactly one of hosts or client, got hosts and client/);
    const store = createStore({ hosts: 'http://h:1', namespace: 'billing', prefix: 'app1' });
    expect(store.name).toBe('etcd:billing');
    expect(store.notifications).toBe('push');
    expect(new EtcdJobStore({ hosts: 'http://h:1', namespace: 'billing', prefix: 'app1' }).keys.jobs).toBe('app1/billing/jobs/');
  });

  it('a store from createStore that was never opened closes at once (it made no client)', async () => {
    const store = createStore({ hosts: 'http://127.0.0.1:1', callTimeout: 2000 });
    await store.close();
    await expect(store.getAllJobs()).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('a store on a server that is not there fails with StoreUnavailableError', async () => {
    const store = new EtcdJobStore({ hosts: 'http://127.0.0.1:1', callTimeout: 2000 });
    try {
      await expect(store.getAllJobs()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe.skipIf(!service.available)('namespaces on one server', () => {
  const url = service.available ? service.url : '';
  const client = service.available ? admin(url) : undefined;
  afterAll(async () => {
    await dropKeys(client!, 'nsa');
    await dropKeys(client!, 'nsb');
    await dropKeys(client!, 'nsa_b');
    client?.close();
  });

  it('keep their jobs, claims, clears and notifications apart (a namespace that extends another included)', async () => {
    const a = new EtcdJobStore({ hosts: url, prefix: PREFIX, namespace: 'nsa' });
    const b = new EtcdJobStore({ hosts: url, prefix: PREFIX, namespace: 'nsb' });
    const ab = new EtcdJobStore({ hosts: url, prefix: PREFIX, namespace: 'nsa_b' });
    const heardA: StoreEvent[] = [];
    a.subscribe((event) => heardA.push(event));
    try {
      await a.open();
      await a.addJob({ id: 'same', nextRunTime: at(0), data: { from: 'a' } });
      await b.addJob({ id: 'same', nextRunTime: at(0), data: { from: 'b' } });
      await ab.addJob({ id: 'same', nextRunTime: at(0), data: { from: 'ab' } });
      expect((await b.lookupJob('same'))?.data).toStrictEqual({ from: 'b' });
      expect((await b.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 60_000, limit: 10 })).map((j) => j.data)).toStrictEqual([{ from: 'b' }]);
      expect((await a.lookupJob('same'))?.acquiredBy).toBeNull();
      await b.removeAllJobs();
      await ab.removeAllJobs();
      expect(await a.getAllJobs()).toHaveLength(1);
      await vi.waitFor(() => expect(heardA.filter((e) => e.type === 'added')).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heardA.map((e) => e.type)).toStrictEqual(['added']);
    } finally {
      await Promise.all([a.close(), b.close(), ab.close()]);
    }
  });
});
