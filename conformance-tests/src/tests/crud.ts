import { ConflictingIdError, InvalidArgumentError, JobLookupError, VersionConflictError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { at, expectError, ids } from '../helpers.js';

export function crudTests(h: Harness): void {
  describe('adding, reading, updating and removing', () => {
    it('addJob stores a job that lookupJob returns at version 1 with no lease', async () => {
      const store = await h.open();
      const added = await store.addJob({ id: 'report', nextRunTime: at(1000), data: { task: 'send', args: [1, 'two'] } });
      const expected = { id: 'report', nextRunTime: at(1000), data: { task: 'send', args: [1, 'two'] }, version: 1, acquiredBy: null, acquiredUntil: null };
      expect(added).toStrictEqual(expected);
      expect(await store.lookupJob('report')).toStrictEqual(expected);
    });

    it('addJob without data stores an empty object', async () => {
      const store = await h.open();
      await store.addJob({ id: 'bare', nextRunTime: at(0) });
      expect((await store.lookupJob('bare'))?.data).toStrictEqual({});
    });

    it('addJob refuses a taken id with ConflictingIdError naming it and keeps the original', async () => {
      const store = await h.open();
      await store.addJob({ id: 'dup', nextRunTime: at(1), data: { first: true } });
      const error = await expectError(store.addJob({ id: 'dup', nextRunTime: at(2), data: { first: false } }), ConflictingIdError, /"dup"/);
      expect(error.jobId).toBe('dup');
      expect(await store.lookupJob('dup')).toMatchObject({ nextRunTime: at(1), data: { first: true }, version: 1 });
    });

    it('addJob with nextRunTime null stores a paused job', async () => {
      const store = await h.open();
      await store.addJob({ id: 'paused', nextRunTime: null });
      expect((await store.lookupJob('paused'))?.nextRunTime).toBeNull();
    });

    it('addJob refuses a job without nextRunTime or with unknown fields, storing nothing', async () => {
      const store = await h.open();
      await expectError(store.addJob({ id: 'x' } as never), InvalidArgumentError, /nextRunTime is required/);
      await expectError(store.addJob({ id: 'x', nextRuntime: at(0) } as never), InvalidArgumentError, /unknown field "nextRuntime"/);
      await expectError(store.addJob(null as never), InvalidArgumentError);
      expect(await store.getAllJobs()).toStrictEqual([]);
    });

    it('records are snapshots: changing an input or a returned record changes nothing stored', async () => {
      const store = await h.open();
      const data = { list: [1, 2], nested: { a: 1 } };
      const added = await store.addJob({ id: 'snap', nextRunTime: at(0), data });
      data.list.push(3);
      data.nested.a = 2;
      (added.data['list'] as number[]).push(4);
      added.nextRunTime?.setTime(0);
      expect(await store.lookupJob('snap')).toMatchObject({ nextRunTime: at(0), data: { list: [1, 2], nested: { a: 1 } } });
    });

    it('lookupJob returns null for an unknown id', async () => {
      const store = await h.open();
      expect(await store.lookupJob('nope')).toBeNull();
    });

    it('nextRunTime keeps millisecond precision', async () => {
      const store = await h.open();
      const times = [at(1), at(999), new Date(Date.UTC(2031, 4, 6, 7, 8, 9, 123)), new Date(0), new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999))];
      for (const [i, time] of times.entries()) await store.addJob({ id: `t${i}`, nextRunTime: time });
      for (const [i, time] of times.entries()) expect((await store.lookupJob(`t${i}`))?.nextRunTime?.getTime()).toBe(time.getTime());
    });

    it('updateJob changes nextRunTime and data together and bumps the version', async () => {
      const store = await h.open();
      await store.addJob({ id: 'u', nextRunTime: at(0), data: { n: 1 } });
      const updated = await store.updateJob('u', { nextRunTime: at(5000), data: { n: 2 } });
      expect(updated).toStrictEqual({ id: 'u', nextRunTime: at(5000), data: { n: 2 }, version: 2, acquiredBy: null, acquiredUntil: null });
      expect(await store.lookupJob('u')).toStrictEqual(updated);
    });

    it('updateJob with only nextRunTime keeps the data, and with only data keeps nextRunTime', async () => {
      const store = await h.open();
      await store.addJob({ id: 'u', nextRunTime: at(0), data: { keep: 'me' } });
      expect(await store.updateJob('u', { nextRunTime: at(7) })).toMatchObject({ nextRunTime: at(7), data: { keep: 'me' }, version: 2 });
      expect(await store.updateJob('u', { data: { other: 1 } })).toMatchObject({ nextRunTime: at(7), data: { other: 1 }, version: 3 });
    });

    it('updateJob pauses with nextRunTime null and resumes with a date', async () => {
      const store = await h.open();
      await store.addJob({ id: 'p', nextRunTime: at(0) });
      await store.updateJob('p', { nextRunTime: null });
      expect(await store.getDueJobs(at(10_000))).toStrictEqual([]);
      expect(await store.getNextRunTime()).toBeNull();
      await store.updateJob('p', { nextRunTime: at(3) });
      expect(ids(await store.getDueJobs(at(10_000)))).toStrictEqual(['p']);
    });

    it('updateJob throws JobLookupError naming the id when the job is missing', async () => {
      const store = await h.open();
      const error = await expectError(store.updateJob('ghost', { nextRunTime: at(0) }), JobLookupError, /"ghost".*updateJob/);
      expect(error.jobId).toBe('ghost');
      expect(await store.lookupJob('ghost')).toBeNull();
    });

    it('updateJob refuses empty or misspelt changes', async () => {
      const store = await h.open();
      await store.addJob({ id: 'u', nextRunTime: at(0) });
      await expectError(store.updateJob('u', {}), InvalidArgumentError, /nextRunTime, data or both/);
      await expectError(store.updateJob('u', { next: at(1) } as never), InvalidArgumentError, /unknown field "next"/);
      await expectError(store.updateJob('u', { nextRunTime: at(1) }, { expectedVersion: 0 }), InvalidArgumentError, /expectedVersion/);
      expect((await store.lookupJob('u'))?.version).toBe(1);
    });

    it('updateJob at the expected version succeeds', async () => {
      const store = await h.open();
      await store.addJob({ id: 'v', nextRunTime: at(0) });
      expect((await store.updateJob('v', { data: { a: 1 } }, { expectedVersion: 1 })).version).toBe(2);
      expect((await store.updateJob('v', { data: { a: 2 } }, { expectedVersion: 2 })).version).toBe(3);
    });

    it('updateJob at a stale version throws VersionConflictError and writes nothing', async () => {
      const store = await h.open();
      await store.addJob({ id: 'v', nextRunTime: at(0), data: { a: 0 } });
      await store.updateJob('v', { data: { a: 1 } });
      const error = await expectError(store.updateJob('v', { data: { a: 2 } }, { expectedVersion: 1 }), VersionConflictError, /"v"/);
      expect([error.expectedVersion, error.actualVersion]).toStrictEqual([1, 2]);
      expect(await store.lookupJob('v')).toMatchObject({ version: 2, data: { a: 1 } });
    });

    it('removeJob deletes the job', async () => {
      const store = await h.open();
      await store.addJob({ id: 'r', nextRunTime: at(0) });
      await store.addJob({ id: 'stay', nextRunTime: at(0) });
      await store.removeJob('r');
      expect(await store.lookupJob('r')).toBeNull();
      expect(ids(await store.getAllJobs())).toStrictEqual(['stay']);
    });

    it('removeJob throws JobLookupError for an unknown id', async () => {
      const store = await h.open();
      await expectError(store.removeJob('ghost'), JobLookupError, /"ghost".*removeJob/);
    });

    it('a removed id can be added again, starting over at version 1', async () => {
      const store = await h.open();
      await store.addJob({ id: 'again', nextRunTime: at(0), data: { round: 1 } });
      await store.updateJob('again', { data: { round: 2 } });
      await store.removeJob('again');
      expect(await store.addJob({ id: 'again', nextRunTime: at(1), data: { round: 3 } })).toMatchObject({ version: 1, data: { round: 3 } });
    });

    it('removeAllJobs empties the store, and an empty store answers every read', async () => {
      const store = await h.open();
      for (let i = 0; i < 5; i++) await store.addJob({ id: `j${i}`, nextRunTime: i === 4 ? null : at(i) });
      await store.removeAllJobs();
      expect(await store.getAllJobs()).toStrictEqual([]);
      expect(await store.getDueJobs(at(1e9))).toStrictEqual([]);
      expect(await store.getNextRunTime()).toBeNull();
      expect(await store.listJobs()).toStrictEqual({ jobs: [], corrupt: [], nextCursor: null });
      await store.removeAllJobs();
    });
  });
}
