import { InvalidArgumentError } from '@jobstore/core';
import { MemoryDatabase, MemoryJobStore } from '@jobstore/store-memory';
import { describe, expect, it } from 'vitest';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

describe('MemoryJobStore', () => {
  it('is named after its namespace, "jobs" by default, and pushes notifications', () => {
    expect(new MemoryJobStore().name).toBe('memory:jobs');
    expect(new MemoryJobStore({ namespace: 'app' }).name).toBe('memory:app');
    expect(new MemoryJobStore().notifications).toBe('push');
  });

  it('keeps its jobs to itself unless given a shared database', async () => {
    const a = new MemoryJobStore();
    const b = new MemoryJobStore();
    await a.addJob({ id: 'x', nextRunTime: at(0) });
    expect(await b.lookupJob('x')).toBeNull();
    const database = new MemoryDatabase();
    const c = new MemoryJobStore({ database });
    const d = new MemoryJobStore({ database });
    await c.addJob({ id: 'x', nextRunTime: at(0) });
    expect((await d.lookupJob('x'))?.id).toBe('x');
    expect(database.namespaces()).toStrictEqual(['jobs']);
  });

  it('refuses a bad namespace in its constructor', () => {
    expect(() => new MemoryJobStore({ namespace: '../x' })).toThrow(InvalidArgumentError);
    expect(() => new MemoryDatabase().table('a b')).toThrow(InvalidArgumentError);
  });

  it('stores the codec text, not the caller objects', async () => {
    const database = new MemoryDatabase();
    const store = new MemoryJobStore({ database });
    await store.addJob({ id: 'x', nextRunTime: at(5), data: { when: new Date(0) } });
    expect(database.readRow('jobs', 'x')).toStrictEqual({
      id: 'x',
      nextRunTime: at(5).getTime(),
      data: '{"v":1,"d":{"when":{"$t":"date","v":"1970-01-01T00:00:00.000Z"}}}',
      version: 1,
      acquiredBy: null,
      acquiredUntil: null,
    });
  });

  it('passes over leased jobs at the head without counting them, after a long run of leases', async () => {
    const store = new MemoryJobStore();
    for (let i = 0; i < 300; i++) await store.addJob({ id: `j${String(i).padStart(3, '0')}`, nextRunTime: at(i) });
    await store.acquireDueJobs({ owner: 'a', now: at(1000), leaseMs: 10_000, limit: 299 });
    const [last] = await store.acquireDueJobs({ owner: 'b', now: at(1000), leaseMs: 10_000, limit: 10 });
    expect(last?.id).toBe('j299');
    expect(await store.getNextRunTime()).toStrictEqual(at(11_001));
  });
});
