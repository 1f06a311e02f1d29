import { CorruptJobError, type StoreEvent } from '@jobstore/core';
import { describe, expect, it, vi } from 'vitest';
import type { Harness } from '../harness.js';
import { addJobs, at, corruptRow, expectError, ids } from '../helpers.js';

/** Stored texts the codec did not write, or wrote in a future version. */
const GARBAGE = [
  'not json at all',
  '{"v":99,"d":{}}',
  '{"v":1,"d":{"$t":"no-such-tag","v":1}}',
  '{"v":1,"d":[1,2]}',
  '{"v":1}',
  '{"v":1,"d":{"when":{"$t":"date","v":"yesterday"}}}',
  '',
  '"just a string"',
];

export function corruptTests(h: Harness): void {
  describe('records that cannot be decoded', () => {
    it('listing skips a corrupt record, reports it by id, and leaves it stored byte for byte', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['good-1', 0],
        ['good-2', 20],
      ]);
      await h.raw.write(h.namespace, corruptRow('bad', at(10)));
      const before = await h.raw.read(h.namespace, 'bad');
      const reports: StoreEvent[] = [];
      store.subscribe((event) => event.type === 'corrupt' && reports.push(event));
      expect(ids(await store.getAllJobs())).toStrictEqual(['good-1', 'good-2']);
      await vi.waitFor(() => expect(reports).toMatchObject([{ type: 'corrupt', jobId: 'bad' }]), { timeout: 5000, interval: 10 });
      const [report] = reports;
      expect(report?.type === 'corrupt' && report.error).toBeInstanceOf(CorruptJobError);
      expect(await h.raw.read(h.namespace, 'bad')).toStrictEqual(before);
    });

    it('every kind of undecodable text is reported, never thrown by a listing, never deleted', async () => {
      const store = await h.open();
      const garbage = GARBAGE;
      // The store's default logger: one line to stderr per warning.
      const warned = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        for (const [i, text] of garbage.entries()) await h.raw.write(h.namespace, corruptRow(`bad-${i}`, at(i), text));
        const planted = await Promise.all(garbage.map((_, i) => h.raw.read(h.namespace, `bad-${i}`)));
        await addJobs(store, [['fine', 3]]);
        expect(ids(await store.getAllJobs())).toStrictEqual(['fine']);
        expect(ids(await store.getDueJobs(at(100)))).toStrictEqual(['fine']);
        // Nobody subscribed, so each report went to the store's logger (stderr by default) rather than nowhere.
        expect(warned.mock.calls.filter(([line]) => /^\[jobstore\] warn: .*cannot be decoded/.test(String(line))).length).toBe(2 * garbage.length);
        for (const [i, row] of planted.entries()) expect(await h.raw.read(h.namespace, `bad-${i}`)).toStrictEqual(row);
      } finally {
        warned.mockRestore();
      }
    });

    it('lookupJob of a corrupt record throws CorruptJobError naming the id', async () => {
      const store = await h.open();
      await h.raw.write(h.namespace, corruptRow('broken', at(0)));
      const error = await expectError(store.lookupJob('broken'), CorruptJobError, /"broken".*lookupJob/);
      expect(error.jobId).toBe('broken');
      expect(await h.raw.read(h.namespace, 'broken')).not.toBeNull();
    });

    it('listJobs reports corrupt records on the page and pages on past them', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 1],
        ['c', 3],
        ['e', 5],
      ]);
      await h.raw.write(h.namespace, corruptRow('b', at(2)));
      await h.raw.write(h.namespace, corruptRow('d', at(4)));
      const first = await store.listJobs({ limit: 2 });
      expect(ids(first.jobs)).toStrictEqual(['a']);
      expect(first.corrupt.map((e) => e.jobId)).toStrictEqual(['b']);
      const second = await store.listJobs({ limit: 10, cursor: first.nextCursor });
      expect(ids(second.jobs)).toStrictEqual(['c', 'e']);
      expect(second.corrupt.map((e) => e.jobId)).toStrictEqual(['d']);
    });

    it('acquireDueJobs passes a corrupt record by and claims the jobs around it', async () => {
      const store = await h.open();
      const reports: StoreEvent[] = [];
      store.subscribe((event) => event.type === 'corrupt' && reports.push(event));
      await addJobs(store, [
        ['first', 0],
        ['last', 2],
      ]);
      await h.raw.write(h.namespace, corruptRow('middle', at(1)));
      const planted = await h.raw.read(h.namespace, 'middle');
      expect(ids(await store.acquireDueJobs({ owner: 'w', now: at(5), leaseMs: 1000, limit: 10 }))).toStrictEqual(['first', 'last']);
      await vi.waitFor(() => expect(reports).toMatchObject([{ jobId: 'middle' }]), { timeout: 5000, interval: 10 });
      expect((await h.raw.read(h.namespace, 'middle'))?.data).toBe(planted?.data);
    });

    it('getNextRunTime still sees a corrupt record, so it is not forgotten', async () => {
      const store = await h.open();
      await h.raw.write(h.namespace, corruptRow('broken', at(7)));
      expect(await store.getNextRunTime()).toStrictEqual(at(7));
    });

    it('removeJob deletes a corrupt record, and updateJob with new data repairs one', async () => {
      const store = await h.open();
      await h.raw.write(h.namespace, corruptRow('delete-me', at(0)));
      await h.raw.write(h.namespace, corruptRow('repair-me', at(0)));
      await store.removeJob('delete-me');
      expect(await h.raw.read(h.namespace, 'delete-me')).toBeNull();
      expect(await store.updateJob('repair-me', { data: { repaired: true } })).toMatchObject({ data: { repaired: true }, version: 2 });
      expect(await store.lookupJob('repair-me')).toMatchObject({ data: { repaired: true } });
    });
  });
}
