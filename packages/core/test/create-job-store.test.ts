import { createJobStore, InvalidArgumentError, StoreClosedError, type LazyStoreDriver, type StoreDriver } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { RecordingDriver } from './support/recording-driver.js';

/** A RecordingDriver whose open fails the first `failures` times, counting opens and closes. */
class FlakyDriver extends RecordingDriver {
  opens = 0;
  closes = 0;
  constructor(private failures: number) {
    super({ name: 'flaky:jobs' });
  }
  override async open(...args: Parameters<StoreDriver['open']>): Promise<void> {
    this.opens++;
    if (this.failures-- > 0) throw new Error('server away');
    await super.open(...args);
  }
  override async close(): Promise<void> {
    this.closes++;
  }
}

/** A lazy source whose connect fails the first `failures` times and then makes `driver`. */
function lazy(driver: StoreDriver, failures = 0): LazyStoreDriver & { connects: number } {
  return {
    name: 'lazy:jobs',
    notifications: 'poll',
    connects: 0,
    async connect() {
      this.connects++;
      if (failures-- > 0) throw new Error('cannot import the client');
      return driver;
    },
  };
}

describe('createJobStore', () => {
  it('over a driver: a full JobStore, with name and notifications from the driver', async () => {
    const store = createJobStore(new RecordingDriver({ name: 'mine:jobs', notifications: 'push' }), { logger: false });
    expect([store.name, store.notifications]).toStrictEqual(['mine:jobs', 'push']);
    await store.addJob({ id: 'a', nextRunTime: new Date(0) });
    expect((await store.acquireDueJobs({ owner: 'w', now: new Date(5), leaseMs: 10, limit: 5 })).map((job) => job.id)).toStrictEqual(['a']);
  });

  it('over a lazy source: connects on the first open, not at construction, and once', async () => {
    const source = lazy(new RecordingDriver());
    const store = createJobStore(source);
    expect([store.name, store.notifications, source.connects]).toStrictEqual(['lazy:jobs', 'poll', 0]);
    await store.open();
    await store.open();
    await store.addJob({ id: 'a', nextRunTime: null });
    expect(source.connects).toBe(1);
  });

  it("reports the source's notifications until the driver is made, then the driver's", async () => {
    const store = createJobStore({ name: 'lazy:jobs', notifications: 'poll', connect: async () => new RecordingDriver({ notifications: 'push' }) });
    expect(store.notifications).toBe('poll');
    await store.open();
    expect(store.notifications).toBe('push');
  });

  it('a connect that rejects is tried again by the next operation', async () => {
    const source = lazy(new RecordingDriver(), 1);
    const store = createJobStore(source);
    await expect(store.open()).rejects.toThrow('cannot import the client');
    expect(await store.lookupJob('a')).toBeNull();
    expect(source.connects).toBe(2);
  });

  it('a driver whose open failed is kept and opened again, not made again, and closed once', async () => {
    const driver = new FlakyDriver(1);
    const source = lazy(driver);
    const store = createJobStore(source);
    await expect(store.getAllJobs()).rejects.toThrow('server away');
    expect(await store.getAllJobs()).toStrictEqual([]);
    expect([source.connects, driver.opens]).toStrictEqual([1, 2]);
    await store.close();
    await store.close();
    expect(driver.closes).toBe(1);
  });

  it('closing a lazy store that never opened makes no driver; a closed store refuses open', async () => {
    const source = lazy(new RecordingDriver());
    const store = createJobStore(source);
    await store.close();
    expect(source.connects).toBe(0);
    await expect(store.open()).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('refuses what is neither a driver nor a lazy source, naming what it expected', () => {
    for (const source of [null, {}, { name: 'x:y', notifications: 'poll' }, { name: 'x:y', notifications: 'sometimes', connect: async () => undefined }]) {
      expect(() => createJobStore(source as never)).toThrow(InvalidArgumentError);
    }
    expect(() => createJobStore({ name: 7 } as never)).toThrow(/expected a StoreDriver or a lazy driver \(\{ name, notifications, connect \}\)/);
  });
});
