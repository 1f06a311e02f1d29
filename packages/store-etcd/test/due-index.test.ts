import { resolveService, SERVICES } from '@jobstore/conformance';
import { EtcdJobStore } from '@jobstore/store-etcd';
import type { Etcd3, IRangeResponse, ITxnResponse } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, dropKeys, PREFIX } from './support.js';

const service = await resolveService(SERVICES.etcd);
const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

/** Counts the keys etcd returns to `client` (range reads and the reads inside transactions). */
function countKeysRead(client: Etcd3): { keys: number } {
  const counter = { keys: 0 };
  const kv = client.kv;
  const range = kv.range.bind(kv);
  const txn = kv.txn.bind(kv);
  kv.range = async (...args: Parameters<typeof range>): Promise<IRangeResponse> => {
    const response = await range(...args);
    counter.keys += response.kvs.length;
    return response;
  };
  kv.txn = async (...args: Parameters<typeof txn>): Promise<ITxnResponse> => {
    const response = await txn(...args);
    for (const op of response.responses) counter.keys += op.response_range?.kvs.length ?? 0;
    return response;
  };
  return counter;
}

describe.skipIf(!service.available)('the due index', () => {
  const url = service.available ? service.url : '';
  let client: Etcd3;
  let store: EtcdJobStore;
  beforeAll(async () => {
    client = admin(url);
    store = new EtcdJobStore({ client, prefix: PREFIX, namespace: 'dueindex' });
    // 3 due jobs among 600 that are not due yet, and 100 paused.
    for (let i = 0; i < 3; i++) await store.addJob({ id: `due-${i}`, nextRunTime: at(i) });
    await Promise.all(Array.from({ length: 600 }, (_, i) => store.addJob({ id: `later-${i}`, nextRunTime: at(1_000_000 + i) })));
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.addJob({ id: `paused-${i}`, nextRunTime: null })));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await dropKeys(client, 'dueindex');
    client?.close();
  });

  it('getDueJobs and acquireDueJobs read only the due rows, not every job', async () => {
    const counter = countKeysRead(client);
    const due = await store.getDueJobs(at(10));
    expect(due.map((job) => job.id)).toStrictEqual(['due-0', 'due-1', 'due-2']);
    // 3 index keys, then each due row and its data.
    expect(counter.keys).toBe(3 + 3 * 2);

    counter.keys = 0;
    const claimed = await store.acquireDueJobs({ owner: 'w', now: at(10), leaseMs: 60_000, limit: 10 });
    expect(claimed.map((job) => job.id)).toStrictEqual(['due-0', 'due-1', 'due-2']);
    expect(counter.keys).toBe(3 + 3 * 2);
  });

  it('getNextRunTime stops at the first unleased job', async () => {
    const counter = countKeysRead(client);
    // The 3 due jobs are leased until at(10) + 60 s; the first later job is free at at(1_000_000).
    expect((await store.getNextRunTime())?.getTime()).toBe(at(60_010).getTime() + 1);
    // A page of index keys (100) and their rows; never the 600 rows.
    expect(counter.keys).toBeLessThanOrEqual(200);
  });
});
