import type { StoreEvent } from '@jobstore/core';
import { describe, expect, it, vi } from 'vitest';
import type { Harness } from '../harness.js';
import { at, record, sleep } from '../helpers.js';

function summary(events: readonly StoreEvent[]): unknown[] {
  return events.filter((e) => e.type !== 'corrupt').map((e) => ('jobId' in e ? ('nextRunTime' in e ? [e.type, e.jobId, e.nextRunTime] : [e.type, e.jobId]) : [e.type]));
}

export function eventTests(h: Harness): void {
  describe('events', () => {
    it('the store declares whether it pushes changes from other processes or must be polled', async () => {
      const store = await h.open();
      expect(['push', 'poll']).toContain(store.notifications);
    });

    it('subscribers hear added, updated, released, removed and cleared, from another instance when the store pushes', async () => {
      const writer = await h.open();
      // A push store must tell a second instance; a poll store at least its own subscribers.
      const listener = writer.notifications === 'push' ? await h.open() : writer;
      const events = record(listener);
      if (listener !== writer) await sleep(50); // let a fresh listening connection settle
      await writer.addJob({ id: 'e', nextRunTime: at(100) });
      await writer.updateJob('e', { nextRunTime: at(50) });
      await writer.acquireDueJobs({ owner: 'w', now: at(60), leaseMs: 1000, limit: 1 });
      await writer.releaseJob('e', 'w', { nextRunTime: at(2000) });
      await writer.acquireDueJobs({ owner: 'w', now: at(2000), leaseMs: 1000, limit: 1 });
      await writer.releaseJobs('w', [{ id: 'e', nextRunTime: at(3000) }]);
      await writer.removeJob('e');
      await writer.addJob({ id: 'f', nextRunTime: null });
      await writer.removeAllJobs();
      const expected = [['added', 'e', at(100)], ['updated', 'e', at(50)], ['released', 'e', at(2000)], ['released', 'e', at(3000)], ['removed', 'e'], ['added', 'f', null], ['cleared']];
      await vi.waitFor(() => expect(summary(events)).toStrictEqual(expected), { timeout: 5000, interval: 10 });
    });

    it('the writing instance hears its own changes', async () => {
      const store = await h.open();
      const events = record(store);
      await store.addJob({ id: 'mine', nextRunTime: at(1) });
      await vi.waitFor(() => expect(summary(events)).toStrictEqual([['added', 'mine', at(1)]]), { timeout: 5000, interval: 10 });
    });

    it('a release that removes the job is heard as removed', async () => {
      const store = await h.open();
      const events = record(store);
      await store.addJob({ id: 'done', nextRunTime: at(0) });
      await store.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 1000, limit: 1 });
      await store.releaseJob('done', 'w', { remove: true });
      await vi.waitFor(
        () =>
          expect(summary(events)).toStrictEqual([
            ['added', 'done', at(0)],
            ['removed', 'done'],
          ]),
        { timeout: 5000, interval: 10 },
      );
    });

    it('unsubscribing stops delivery to that listener only', async () => {
      const store = await h.open();
      const kept: StoreEvent[] = [];
      const dropped: StoreEvent[] = [];
      store.subscribe((e) => kept.push(e));
      const stop = store.subscribe((e) => dropped.push(e));
      stop();
      stop();
      await store.addJob({ id: 'x', nextRunTime: at(0) });
      await vi.waitFor(() => expect(kept).toHaveLength(1), { timeout: 5000, interval: 10 });
      await sleep(50);
      expect(dropped).toStrictEqual([]);
    });

    it('a listener that throws harms neither the store nor the other listeners', async () => {
      const store = await h.open();
      // The store's default logger: one line to stderr per error.
      const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        store.subscribe(() => {
          throw new Error('listener bug');
        });
        const events = record(store);
        await store.addJob({ id: 'a', nextRunTime: at(0) });
        await store.addJob({ id: 'b', nextRunTime: at(0) });
        await vi.waitFor(
          () =>
            expect(summary(events)).toStrictEqual([
              ['added', 'a', at(0)],
              ['added', 'b', at(0)],
            ]),
          { timeout: 5000, interval: 10 },
        );
        await vi.waitFor(() => expect(logged.mock.calls.some(([line]) => /^\[jobstore\] error: a listener of store .* threw on an? added event: listener bug/.test(String(line)))).toBe(true), {
          timeout: 5000,
          interval: 10,
        });
        expect((await store.getAllJobs()).length).toBe(2);
      } finally {
        logged.mockRestore();
      }
    });
  });
}
