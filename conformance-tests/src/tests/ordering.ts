import { InvalidArgumentError, type JobRecord } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { addJobs, at, expectError, ids } from '../helpers.js';
import { RULES } from '../rules.js';

export function orderingTests(h: Harness): void {
  describe('ordering, listing and due jobs', () => {
    it('getAllJobs orders by nextRunTime, ties by id, paused jobs last by id', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['c', 20],
        ['p2', null],
        ['b', 10],
        ['a', 20],
        ['p1', null],
        ['z', 5],
        ['m', 10],
      ]);
      expect(ids(await store.getAllJobs()), RULES.listingOrder).toStrictEqual(['z', 'b', 'm', 'a', 'c', 'p1', 'p2']);
    });

    it('ties order by code point: case, trailing spaces and astral characters are told apart', async () => {
      const store = await h.open();
      // UTF-16 order would put U+FF5E after the emoji; code point (and UTF-8 byte) order puts it first.
      const sorted = ['A', 'B', 'a', 'a ', 'a!', 'b', '\u00e9', '\uff5e', '\u{1F600}'];
      for (const id of [...sorted].reverse()) await store.addJob({ id, nextRunTime: at(0) });
      expect(ids(await store.getAllJobs()), RULES.codePointOrder).toStrictEqual(sorted);
      expect(ids(await store.getDueJobs(at(0))), RULES.codePointOrder).toStrictEqual(sorted);
    });

    it('listJobs pages through getAllJobs order without gaps or repeats', async () => {
      const store = await h.open();
      const spec: [string, number | null][] = [];
      for (let i = 0; i < 23; i++) spec.push([`job-${String(i).padStart(2, '0')}`, i % 5 === 0 ? null : (i * 7) % 4]);
      await addJobs(store, spec);
      const all = ids(await store.getAllJobs());
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.listJobs({ limit: 4, cursor });
        expect(page.jobs.length).toBeLessThanOrEqual(4);
        expect(page.corrupt).toStrictEqual([]);
        seen.push(...ids(page.jobs));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(seen, `${RULES.listingOrder}; a page continues strictly after the ListPosition given`).toStrictEqual(all);
      expect(pages).toBe(6);
    });

    it('listJobs says there is no next page exactly when the last page is full', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 1],
        ['b', 2],
        ['c', null],
        ['d', null],
      ]);
      const first = await store.listJobs({ limit: 2 });
      expect(ids(first.jobs)).toStrictEqual(['a', 'b']);
      const second = await store.listJobs({ limit: 2, cursor: first.nextCursor });
      expect(ids(second.jobs)).toStrictEqual(['c', 'd']);
      expect(second.nextCursor).toBeNull();
    });

    it('a listJobs cursor stays valid when the job it points at is removed or moved', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 4],
      ]);
      const first = await store.listJobs({ limit: 2 });
      await store.removeJob('b');
      await store.updateJob('a', { nextRunTime: at(100) });
      const rest = await store.listJobs({ limit: 10, cursor: first.nextCursor });
      expect(ids(rest.jobs)).toStrictEqual(['c', 'd', 'a']);
    });

    it('listJobs refuses a bad limit or a cursor it did not make', async () => {
      const store = await h.open();
      await expectError(store.listJobs({ limit: 0 }), InvalidArgumentError, /limit/);
      await expectError(store.listJobs({ limit: 10_001 }), InvalidArgumentError, /limit/);
      await expectError(store.listJobs({ limit: 1.5 }), InvalidArgumentError, /limit/);
      await expectError(store.listJobs({ cursor: 'not-a-cursor' }), InvalidArgumentError, /cursor/);
      await expectError(store.listJobs({ cursor: 42 as never }), InvalidArgumentError, /cursor/);
    });

    it('getDueJobs returns jobs due at or before now, in order, and not paused or future ones', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['late', 1000],
        ['exact', 500],
        ['early', 100],
        ['paused', null],
        ['future', 501],
      ]);
      expect(ids(await store.getDueJobs(at(500))), RULES.dueOrder).toStrictEqual(['early', 'exact']);
      expect(ids(await store.getDueJobs(at(99))), RULES.dueOrder).toStrictEqual([]);
    });

    it('getDueJobs includes leased jobs: it inspects, acquireDueJobs claims', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 0],
        ['b', 0],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 1 });
      const due = await store.getDueJobs(at(0));
      expect(
        due.map((job: JobRecord) => [job.id, job.acquiredBy]),
        RULES.dueOrder,
      ).toStrictEqual([
        ['a', 'w1'],
        ['b', null],
      ]);
    });

    it('getDueJobs and getAllJobs read past their internal page size', async () => {
      const store = await h.open();
      const count = 2500;
      for (let start = 0; start < count; start += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, k) => store.addJob({ id: `n${String(start + k).padStart(5, '0')}`, nextRunTime: at(start + k) })));
      }
      expect((await store.getAllJobs()).length).toBe(count);
      const due = await store.getDueJobs(at(1999));
      expect(due.length).toBe(2000);
      expect(due[1999]?.id).toBe('n01999');
    });

    it('getDueJobs refuses a now that is not a valid Date', async () => {
      const store = await h.open();
      await expectError(store.getDueJobs(new Date(Number.NaN)), InvalidArgumentError, /now/);
      await expectError(store.getDueJobs('2030-01-01' as never), InvalidArgumentError, /now must be a Date/);
    });

    it('getNextRunTime is null with no jobs or only paused jobs, else the earliest nextRunTime', async () => {
      const store = await h.open();
      expect(await store.getNextRunTime()).toBeNull();
      await addJobs(store, [['p', null]]);
      expect(await store.getNextRunTime()).toBeNull();
      await addJobs(store, [
        ['b', 300],
        ['a', 200],
        ['c', 250],
      ]);
      expect(await store.getNextRunTime()).toStrictEqual(at(200));
      await store.removeJob('a');
      expect(await store.getNextRunTime()).toStrictEqual(at(250));
    });
  });
}
