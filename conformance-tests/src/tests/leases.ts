import { InvalidArgumentError, JobLookupError, LeaseLostError, VersionConflictError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { addJobs, at, expectError, ids } from '../helpers.js';
import { RULES } from '../rules.js';

const LEASE = 30_000;

export function leaseTests(h: Harness): void {
  describe('acquiring and leases', () => {
    it('acquireDueJobs claims due jobs in order and leases them to the owner until now + leaseMs', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['b', 10],
        ['a', 10],
        ['c', 5],
        ['later', 2000],
        ['paused', null],
      ]);
      const claimed = await store.acquireDueJobs({ owner: 'w1', now: at(1000), leaseMs: LEASE, limit: 10 });
      expect(ids(claimed), RULES.claim).toStrictEqual(['c', 'a', 'b']);
      for (const job of claimed) expect(job, RULES.claim).toMatchObject({ acquiredBy: 'w1', acquiredUntil: at(1000 + LEASE), version: 1 });
      expect(await store.lookupJob('a'), RULES.claim).toMatchObject({ acquiredBy: 'w1', acquiredUntil: at(1000 + LEASE), version: 1 });
      expect(await store.lookupJob('later'), RULES.claim).toMatchObject({ acquiredBy: null, acquiredUntil: null });
    });

    it('acquireDueJobs takes at most limit jobs, earliest first', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['j1', 1],
        ['j2', 2],
        ['j3', 3],
        ['j4', 4],
      ]);
      expect(ids(await store.acquireDueJobs({ owner: 'w', now: at(10), leaseMs: LEASE, limit: 2 })), RULES.claim).toStrictEqual(['j1', 'j2']);
      expect(ids(await store.acquireDueJobs({ owner: 'other', now: at(10), leaseMs: LEASE, limit: 2 })), RULES.claim).toStrictEqual(['j3', 'j4']);
    });

    it('a live lease keeps a job from other owners, up to and including acquiredUntil', async () => {
      const store = await h.open();
      await addJobs(store, [['held', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 10 });
      expect(await store.acquireDueJobs({ owner: 'w2', now: at(500), leaseMs: 1000, limit: 10 }), RULES.liveLease).toStrictEqual([]);
      expect(await store.acquireDueJobs({ owner: 'w2', now: at(1000), leaseMs: 1000, limit: 10 }), RULES.liveLease).toStrictEqual([]);
    });

    it('an ended lease is reclaimed by another owner 1 ms after acquiredUntil', async () => {
      const store = await h.open();
      await addJobs(store, [['crashed', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 10 });
      const reclaimed = await store.acquireDueJobs({ owner: 'w2', now: at(1001), leaseMs: 1000, limit: 10 });
      expect(reclaimed, RULES.endedLease).toMatchObject([{ id: 'crashed', acquiredBy: 'w2', acquiredUntil: at(2001) }]);
    });

    it('an owner gets its own leased jobs again (a restarted scheduler keeps its claims)', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['mine', 0],
        ['free', 1],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 10_000, limit: 1 });
      const again = await store.acquireDueJobs({ owner: 'w1', now: at(5), leaseMs: 10_000, limit: 10 });
      expect(again, RULES.ownLease).toMatchObject([
        { id: 'mine', acquiredUntil: at(10_005) },
        { id: 'free', acquiredBy: 'w1' },
      ]);
    });

    it('jobs leased by others do not count against the limit', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(10), leaseMs: LEASE, limit: 2 });
      expect(ids(await store.acquireDueJobs({ owner: 'w2', now: at(10), leaseMs: LEASE, limit: 2 })), RULES.limitSkipsHeld).toStrictEqual(['c', 'd']);
    });

    it('acquireDueJobs refuses bad arguments and claims nothing', async () => {
      const store = await h.open();
      await addJobs(store, [['a', 0]]);
      const good = { owner: 'w', now: at(0), leaseMs: 1000, limit: 1 };
      await expectError(store.acquireDueJobs({ ...good, limit: 0 }), InvalidArgumentError, /limit/);
      await expectError(store.acquireDueJobs({ ...good, limit: 10_001 }), InvalidArgumentError, /limit/);
      await expectError(store.acquireDueJobs({ ...good, leaseMs: 0 }), InvalidArgumentError, /leaseMs/);
      await expectError(store.acquireDueJobs({ ...good, leaseMs: 1.5 }), InvalidArgumentError, /leaseMs/);
      await expectError(store.acquireDueJobs({ ...good, owner: '' }), InvalidArgumentError, /owner/);
      await expectError(store.acquireDueJobs({ ...good, now: new Date('nope') }), InvalidArgumentError, /now/);
      await expectError(store.acquireDueJobs({ ...good, lease: 5 } as never), InvalidArgumentError, /unknown field "lease"/);
      expect(await store.lookupJob('a')).toMatchObject({ acquiredBy: null });
    });

    it('getNextRunTime counts a leased job from when its lease can end, so a scheduler sleeps instead of spinning', async () => {
      const store = await h.open();
      await addJobs(store, [['due', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 10 });
      expect(await store.getNextRunTime()).toStrictEqual(at(LEASE + 1));
      await addJobs(store, [['soon', 10_000]]);
      expect(await store.getNextRunTime()).toStrictEqual(at(10_000));
      await store.removeJob('soon');
      await addJobs(store, [['much-later', 10 * LEASE]]);
      expect(await store.getNextRunTime()).toStrictEqual(at(LEASE + 1));
      await store.releaseJob('due', 'w1', { nextRunTime: at(5 * LEASE) });
      expect(await store.getNextRunTime()).toStrictEqual(at(5 * LEASE));
    });

    it('getNextRunTime takes a leased job whose next run is after its lease at its next run', async () => {
      const store = await h.open();
      await addJobs(store, [['x', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 100, limit: 1 });
      await store.updateJob('x', { nextRunTime: at(5000) });
      expect(await store.getNextRunTime()).toStrictEqual(at(5000));
    });
  });

  describe('releasing and extending', () => {
    it('releaseJob writes the next run time, ends the lease and bumps the version', async () => {
      const store = await h.open();
      await addJobs(store, [['r', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.releaseJob('r', 'w1', { nextRunTime: at(60_000) });
      expect(await store.lookupJob('r'), RULES.releaseWrites).toMatchObject({ nextRunTime: at(60_000), acquiredBy: null, acquiredUntil: null, version: 2, data: {} });
      expect(await store.acquireDueJobs({ owner: 'w2', now: at(1), leaseMs: LEASE, limit: 1 })).toStrictEqual([]);
    });

    it('releaseJob can replace the data and pause the job in the same write', async () => {
      const store = await h.open();
      await addJobs(store, [['r', 0, { runs: 0 }]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.releaseJob('r', 'w1', { nextRunTime: null, data: { runs: 1 } });
      expect(await store.lookupJob('r')).toMatchObject({ nextRunTime: null, data: { runs: 1 }, acquiredBy: null, version: 2 });
    });

    it('releaseJob with remove deletes a finished job', async () => {
      const store = await h.open();
      await addJobs(store, [['once', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.releaseJob('once', 'w1', { remove: true });
      expect(await store.lookupJob('once')).toBeNull();
    });

    it('releaseJob by an owner that does not hold the lease throws LeaseLostError and writes nothing', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['held', 0],
        ['free', 1],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      const error = await expectError(store.releaseJob('held', 'w2', { nextRunTime: at(9) }), LeaseLostError, /"w2".*"held".*"w1"/, RULES.release);
      expect(error.holder, RULES.release).toBe('w1');
      await expectError(store.releaseJob('held', 'w2', { remove: true }), LeaseLostError, undefined, RULES.release);
      await expectError(store.releaseJob('free', 'w1', { nextRunTime: at(9) }), LeaseLostError, /nobody holds/, RULES.release);
      expect(await store.lookupJob('held'), RULES.release).toMatchObject({ nextRunTime: at(0), acquiredBy: 'w1', version: 1 });
      expect(await store.lookupJob('free'), RULES.release).toMatchObject({ nextRunTime: at(1), acquiredBy: null, version: 1 });
    });

    it('an owner whose ended lease was reclaimed cannot release over the new owner', async () => {
      const store = await h.open();
      await addJobs(store, [['job', 0]]);
      await store.acquireDueJobs({ owner: 'slow', now: at(0), leaseMs: 1000, limit: 1 });
      await store.acquireDueJobs({ owner: 'fast', now: at(1001), leaseMs: 1000, limit: 1 });
      await expectError(store.releaseJob('job', 'slow', { nextRunTime: at(99) }), LeaseLostError, /"fast"/, RULES.release);
      await store.releaseJob('job', 'fast', { nextRunTime: at(5000) });
      expect(await store.lookupJob('job')).toMatchObject({ nextRunTime: at(5000), acquiredBy: null, version: 2 });
    });

    it('an owner whose ended lease nobody reclaimed may still release it', async () => {
      const store = await h.open();
      await addJobs(store, [['job', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 1 });
      await store.releaseJob('job', 'w1', { nextRunTime: at(5000) });
      expect(await store.lookupJob('job')).toMatchObject({ nextRunTime: at(5000), acquiredBy: null });
    });

    it('releaseJob of a removed job throws JobLookupError', async () => {
      const store = await h.open();
      await addJobs(store, [['gone', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.removeJob('gone');
      await expectError(store.releaseJob('gone', 'w1', { nextRunTime: at(1) }), JobLookupError, /"gone".*releaseJob/, RULES.release);
    });

    it('releaseJob at a stale expected version throws VersionConflictError and keeps the lease', async () => {
      const store = await h.open();
      await addJobs(store, [['job', 0]]);
      const [claimed] = await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.updateJob('job', { nextRunTime: null }); // a user pauses it while it runs
      await expectError(store.releaseJob('job', 'w1', { nextRunTime: at(60_000), expectedVersion: claimed?.version ?? 0 }), VersionConflictError, undefined, RULES.release);
      expect(await store.lookupJob('job'), RULES.release).toMatchObject({ nextRunTime: null, acquiredBy: 'w1', version: 2 });
      await store.releaseJob('job', 'w1', { nextRunTime: null, expectedVersion: 2 });
      expect(await store.lookupJob('job')).toMatchObject({ nextRunTime: null, acquiredBy: null, version: 3 });
    });

    it('releaseJob refuses a malformed release', async () => {
      const store = await h.open();
      await addJobs(store, [['job', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await expectError(store.releaseJob('job', 'w1', {} as never), InvalidArgumentError, /nextRunTime/);
      await expectError(store.releaseJob('job', 'w1', { remove: false } as never), InvalidArgumentError, /remove/);
      await expectError(store.releaseJob('job', 'w1', { remove: true, nextRunTime: at(1) } as never), InvalidArgumentError, /remove/);
      await expectError(store.releaseJob('job', '', { nextRunTime: at(1) }), InvalidArgumentError, /owner/);
      expect(await store.lookupJob('job')).toMatchObject({ acquiredBy: 'w1', version: 1 });
    });

    it('releaseJobs releases many jobs in one call, each as releaseJob would', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 0, { n: 0 }],
        ['b', 0],
        ['c', 0],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 3 });
      const results = await store.releaseJobs('w1', [
        { id: 'a', nextRunTime: at(1000), data: { n: 1 } },
        { id: 'b', remove: true },
        { id: 'c', nextRunTime: null, expectedVersion: 1 },
      ]);
      expect(results).toStrictEqual([
        { id: 'a', error: null },
        { id: 'b', error: null },
        { id: 'c', error: null },
      ]);
      expect(await store.lookupJob('a')).toMatchObject({ nextRunTime: at(1000), data: { n: 1 }, version: 2, acquiredBy: null });
      expect(await store.lookupJob('b')).toBeNull();
      expect(await store.lookupJob('c')).toMatchObject({ nextRunTime: null, version: 2, acquiredBy: null });
      expect(await store.releaseJobs('w1', [])).toStrictEqual([]);
    });

    it('releaseJobs reports each failure on its own job and still releases the others', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['mine', 0],
        ['theirs', 1],
        ['stale', 2],
        ['gone', 3],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      await store.acquireDueJobs({ owner: 'w2', now: at(1), leaseMs: LEASE, limit: 1 });
      await store.acquireDueJobs({ owner: 'w1', now: at(3), leaseMs: LEASE, limit: 10 });
      await store.updateJob('stale', { data: { edited: true } });
      await store.removeJob('gone');
      const results = await store.releaseJobs('w1', [
        { id: 'mine', nextRunTime: at(500) },
        { id: 'theirs', nextRunTime: at(500) },
        { id: 'stale', nextRunTime: at(500), expectedVersion: 1 },
        { id: 'gone', nextRunTime: at(500) },
      ]);
      expect(
        results.map((r) => [r.id, r.error?.constructor.name ?? null]),
        RULES.release,
      ).toStrictEqual([
        ['mine', null],
        ['theirs', 'LeaseLostError'],
        ['stale', 'VersionConflictError'],
        ['gone', 'JobLookupError'],
      ]);
      expect(results[1]?.error).toBeInstanceOf(LeaseLostError);
      expect(await store.lookupJob('mine')).toMatchObject({ nextRunTime: at(500), acquiredBy: null });
      expect(await store.lookupJob('theirs')).toMatchObject({ nextRunTime: at(1), acquiredBy: 'w2' });
      expect(await store.lookupJob('stale')).toMatchObject({ nextRunTime: at(2), acquiredBy: 'w1', version: 2 });
    });

    it('releaseJobs refuses a malformed batch, or one job twice, before writing anything', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 0],
        ['b', 0],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 2 });
      await expectError(
        store.releaseJobs('w1', [
          { id: 'a', nextRunTime: at(9) },
          { id: 'a', remove: true },
        ]),
        InvalidArgumentError,
        /once per call/,
      );
      await expectError(store.releaseJobs('w1', [{ id: 'a', nextRunTime: at(9) }, { id: 'b' } as never]), InvalidArgumentError, /nextRunTime/);
      await expectError(store.releaseJobs('w1', [{ id: '', nextRunTime: at(9) }]), InvalidArgumentError, /job id/);
      await expectError(store.releaseJobs('w1', 'a' as never), InvalidArgumentError, /array/);
      expect(await store.lookupJob('a')).toMatchObject({ nextRunTime: at(0), acquiredBy: 'w1', version: 1 });
    });

    it('updateJob on a leased job keeps the lease', async () => {
      const store = await h.open();
      await addJobs(store, [['job', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: LEASE, limit: 1 });
      expect(await store.updateJob('job', { data: { edited: true } }), RULES.leaseAlone).toMatchObject({ acquiredBy: 'w1', acquiredUntil: at(LEASE), version: 2 });
      expect(await store.acquireDueJobs({ owner: 'w2', now: at(1), leaseMs: LEASE, limit: 1 })).toStrictEqual([]);
    });

    it('extendLeases moves the lease end of jobs the owner holds and returns their ids', async () => {
      const store = await h.open();
      await addJobs(store, [
        ['a', 0],
        ['b', 0],
        ['theirs', 1],
        ['free', 2],
      ]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 2 });
      await store.acquireDueJobs({ owner: 'w2', now: at(5), leaseMs: 1000, limit: 1 });
      const extended = await store.extendLeases(['a', 'b', 'theirs', 'free', 'missing', 'a'], 'w1', 5000, at(900));
      expect([...extended].sort(), RULES.extend).toStrictEqual(['a', 'b']);
      expect(await store.lookupJob('a')).toMatchObject({ acquiredBy: 'w1', acquiredUntil: at(5900), version: 1 });
      expect(await store.lookupJob('theirs')).toMatchObject({ acquiredBy: 'w2', acquiredUntil: at(1005) });
      expect(await store.lookupJob('free')).toMatchObject({ acquiredBy: null });
      expect(await store.extendLeases([], 'w1', 5000, at(900))).toStrictEqual([]);
    });

    it('an extended lease holds past its first end', async () => {
      const store = await h.open();
      await addJobs(store, [['long', 0]]);
      await store.acquireDueJobs({ owner: 'w1', now: at(0), leaseMs: 1000, limit: 1 });
      await store.extendLeases(['long'], 'w1', 1000, at(800));
      expect(await store.acquireDueJobs({ owner: 'w2', now: at(1500), leaseMs: 1000, limit: 1 })).toStrictEqual([]);
      expect(ids(await store.acquireDueJobs({ owner: 'w2', now: at(1801), leaseMs: 1000, limit: 1 }))).toStrictEqual(['long']);
      expect(await store.extendLeases(['long'], 'w1', 1000, at(1900))).toStrictEqual([]);
    });

    it('extendLeases refuses bad arguments', async () => {
      const store = await h.open();
      await expectError(store.extendLeases('a' as never, 'w1', 1000, at(0)), InvalidArgumentError, /array/);
      await expectError(store.extendLeases([''], 'w1', 1000, at(0)), InvalidArgumentError, /job id/);
      await expectError(store.extendLeases(['a'], 'w1', -5, at(0)), InvalidArgumentError, /leaseMs/);
      await expectError(store.extendLeases(['a'], 'w1', 1000, new Date(Number.NaN)), InvalidArgumentError, /now/);
    });
  });
}
