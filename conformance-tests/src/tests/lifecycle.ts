import { InvalidArgumentError, StoreClosedError, type JobStore } from '@jobstore/core';
import { describe, expect, it, vi } from 'vitest';
import type { Harness } from '../harness.js';
import { addJobs, at, expectError, ids, record } from '../helpers.js';

/** Namespaces that must never reach a query, a key or a path. */
const BAD_NAMESPACES = ['', 'jobs; DROP TABLE jobs', '../escape', 'a/b', 'a b', '1starts_with_digit', 'x'.repeat(49), 'dash-ed', 'quote"', "it's", 'ns*', 'ns{tag}', '\u00e9t\u00e9'];

export function lifecycleTests(h: Harness): void {
  describe('namespaces', () => {
    it('stores on different namespaces share nothing: jobs, removeAll or events', async () => {
      const a = await h.open();
      const b = await h.open(h.freshNamespace());
      const heardByB = record(b);
      await addJobs(a, [['same-id', 0]]);
      await addJobs(b, [
        ['same-id', 5],
        ['only-b', 1],
      ]);
      await a.removeAllJobs();
      expect(await a.getAllJobs()).toStrictEqual([]);
      expect(ids(await b.getAllJobs())).toStrictEqual(['only-b', 'same-id']);
      expect(await b.acquireDueJobs({ owner: 'w', now: at(10), leaseMs: 100, limit: 10 })).toHaveLength(2);
      await vi.waitFor(() => expect(heardByB.map((e) => e.type)).toStrictEqual(['added', 'added']), { timeout: 5000, interval: 10 });
    });

    it('a namespace that is not a plain identifier is refused before it reaches the backend', async () => {
      for (const namespace of BAD_NAMESPACES) {
        const rule =
          `a store must refuse the invalid namespace ${JSON.stringify(namespace)} with InvalidArgumentError when it is made or opened: ` +
          "call assertNamespace(namespace, 'MyJobStore') from @jobstore/core in your store's constructor or createStore";
        await expectError(() => openAndClose(h, namespace), InvalidArgumentError, /namespace/, rule);
      }
    });
  });

  describe('opening and closing', () => {
    it('jobs, versions and leases survive closing the store and opening a new one', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['kept', 0, { payload: [1, 'two', new Date(5)] }],
        ['paused', null],
      ]);
      await store.updateJob('kept', { nextRunTime: at(10) });
      await store.acquireDueJobs({ owner: 'w1', now: at(20), leaseMs: 1000, limit: 1 });
      const before = await store.getAllJobs();
      await store.close();
      const reopened = await h.open();
      expect(await reopened.getAllJobs()).toStrictEqual(before);
      expect(await reopened.lookupJob('kept')).toMatchObject({ version: 2, acquiredBy: 'w1', acquiredUntil: at(1020), data: { payload: [1, 'two', new Date(5)] } });
    });

    it('closing twice is harmless', async () => {
      const store = await h.open();
      await store.close();
      await store.close();
    });

    it('every method of a closed store throws StoreClosedError', async () => {
      const store = await h.open();
      await addJobs(store, [['x', 0]]);
      await store.close();
      const calls: [string, (s: JobStore) => unknown][] = [
        ['addJob', (s) => s.addJob({ id: 'y', nextRunTime: at(0) })],
        ['updateJob', (s) => s.updateJob('x', { nextRunTime: at(1) })],
        ['removeJob', (s) => s.removeJob('x')],
        ['removeAllJobs', (s) => s.removeAllJobs()],
        ['lookupJob', (s) => s.lookupJob('x')],
        ['getAllJobs', (s) => s.getAllJobs()],
        ['listJobs', (s) => s.listJobs()],
        ['getDueJobs', (s) => s.getDueJobs(at(0))],
        ['getNextRunTime', (s) => s.getNextRunTime()],
        ['acquireDueJobs', (s) => s.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 10, limit: 1 })],
        ['releaseJob', (s) => s.releaseJob('x', 'w', { nextRunTime: null })],
        ['releaseJobs', (s) => s.releaseJobs('w', [{ id: 'x', nextRunTime: null }])],
        ['extendLeases', (s) => s.extendLeases(['x'], 'w', 10, at(0))],
        ['subscribe', (s) => s.subscribe(() => undefined)],
      ];
      for (const [name, call] of calls) await expectError(() => call(store), StoreClosedError, new RegExp(`closed \\(${name}\\)`));
      const other = await h.open();
      expect(ids(await other.getAllJobs())).toStrictEqual(['x']);
    });

    it('a closed store stops delivering events', async () => {
      const writer = await h.open();
      const closed = await h.open();
      const events = record(closed);
      await closed.close();
      const live = record(writer);
      await writer.addJob({ id: 'after-close', nextRunTime: at(0) });
      await vi.waitFor(() => expect(live).toHaveLength(1), { timeout: 5000, interval: 10 });
      expect(events).toStrictEqual([]);
    });
  });
}

/** Makes a store and opens it, so a refusal at either step counts; closes whatever was made. */
async function openAndClose(h: Harness, namespace: string): Promise<void> {
  const store = await h.target.open(namespace);
  try {
    await store.open();
  } finally {
    await store.close();
  }
}
