import type { JobStore } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';
import { describe, expect, it } from 'vitest';
import type { SchedulerEventBody } from '../src/events.js';
import { StoreBackoff } from '../src/dispatch/backoff.js';
import { LeaseKeeper } from '../src/dispatch/lease-keeper.js';
import { ReleaseQueue } from '../src/dispatch/release-queue.js';
import { StaleClaimGuard } from '../src/dispatch/stale-claims.js';

const OWNER = 'me';
const now = (): Date => new Date();

/** A release queue and lease keeper over a real memory store, recording what they report. */
function setup(store: JobStore = new MemoryJobStore()): { store: JobStore; queue: ReleaseQueue; leases: LeaseKeeper; stale: StaleClaimGuard; events: SchedulerEventBody[]; failures: unknown[] } {
  const stores = new Map([['default', store]]);
  const events: SchedulerEventBody[] = [];
  const failures: unknown[] = [];
  const backoff = new StoreBackoff(Date.now);
  const storeFailed = (alias: string, _jobId: string | null, error: unknown): void => {
    backoff.failed(alias);
    failures.push(error);
  };
  const leases = new LeaseKeeper({
    owner: OWNER,
    leaseMs: 30_000,
    clock: now,
    stores: () => stores,
    storeFailed,
    leaseLost: (alias, jobId, error) => events.push({ type: 'jobstore_error', jobstore: alias, jobId, error }),
  });
  const stale = new StaleClaimGuard(Date.now, 60_000);
  const queue = new ReleaseQueue({ owner: OWNER, stores: () => stores, leases, stale, backoff, storeFailed, emit: (event) => events.push(event) });
  return { store, queue, leases, stale, events, failures };
}

async function claimOne(store: JobStore, id: string, nextRunTime = new Date(Date.now() - 1000)): Promise<{ version: number; nextRunTime: Date | null }> {
  await store.addJob({ id, nextRunTime, data: {} });
  const [record] = await store.acquireDueJobs({ owner: OWNER, now: now(), leaseMs: 30_000, limit: 10 });
  if (record === undefined) throw new Error('nothing claimed');
  return { version: record.version, nextRunTime: record.nextRunTime };
}

describe('the release queue', () => {
  it('releases queued together go out in one batch: each job gets its next run time, its lease ends, and it is no longer held', async () => {
    const { store, queue, leases, stale } = setup();
    const claimedA = await claimOne(store, 'a');
    const claimedB = await claimOne(store, 'b');
    leases.hold('default', 'a');
    leases.hold('default', 'b');
    const next = new Date(Date.now() + 60_000);
    const settled: string[] = [];
    queue.push('default', 'a', claimedA, next, () => settled.push('a'));
    queue.push('default', 'b', claimedB, null, () => settled.push('b'));
    expect(queue.busy).toBe(true);
    await queue.flush();
    expect(settled.sort()).toStrictEqual(['a', 'b']);
    expect(await store.lookupJob('a')).toMatchObject({ nextRunTime: next, acquiredBy: null, version: claimedA.version + 1 });
    expect(await store.lookupJob('b')).toBeNull();
    expect([...(leases.heldIn('default') ?? [])]).toStrictEqual([]);
    // A claim that read "a" before this release is stale now.
    expect(stale.check('default', { id: 'a', version: claimedA.version, nextRunTime: null, data: {}, acquiredBy: OWNER, acquiredUntil: null })).toBe(true);
  });

  it('a job the trigger ended is removed and reported job_removed', async () => {
    const { store, queue, events } = setup();
    const claimed = await claimOne(store, 'done');
    queue.push('default', 'done', claimed, null);
    await queue.flush();
    expect(events).toStrictEqual([{ type: 'job_removed', jobId: 'done', jobstore: 'default' }]);
  });

  it("a job someone rescheduled or paused while it ran keeps their schedule; one they changed otherwise gets the scheduler's", async () => {
    const { store, queue } = setup();
    const claimedPaused = await claimOne(store, 'paused');
    await store.updateJob('paused', { nextRunTime: null });
    const claimedRenamed = await claimOne(store, 'renamed');
    await store.updateJob('renamed', { data: { name: 'other' } });
    const next = new Date(Date.now() + 60_000);
    queue.push('default', 'paused', claimedPaused, next);
    queue.push('default', 'renamed', claimedRenamed, next);
    await queue.flush();
    // The retried release goes out on its own turn.
    while (queue.busy) await queue.flush();
    expect(await store.lookupJob('paused')).toMatchObject({ nextRunTime: null, acquiredBy: null });
    expect(await store.lookupJob('renamed')).toMatchObject({ nextRunTime: next, data: { name: 'other' }, acquiredBy: null });
  });

  it('a release whose lease another scheduler took is reported, not written', async () => {
    const { store, queue, events } = setup();
    const claimed = await claimOne(store, 'taken');
    await store.extendLeases(['taken'], OWNER, 1, now());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.acquireDueJobs({ owner: 'other', now: now(), leaseMs: 30_000, limit: 10 });
    queue.push('default', 'taken', claimed, new Date(Date.now() + 60_000));
    await queue.flush();
    expect(events.map((event) => event.type)).toStrictEqual(['jobstore_error']);
    expect(await store.lookupJob('taken')).toMatchObject({ acquiredBy: 'other' });
  });

  it('a store that is down keeps the releases queued and writes them once it is back', async () => {
    const store = new MemoryJobStore();
    let down = true;
    const flaky = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'releaseJobs' && down) return () => Promise.reject(new Error('store down'));
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const { queue, failures } = setup(flaky);
    const claimed = await claimOne(store, 'kept');
    const next = new Date(Date.now() + 60_000);
    queue.push('default', 'kept', claimed, next);
    await queue.flush();
    expect(failures).toHaveLength(1);
    expect(queue.busy).toBe(true);
    down = false;
    while (queue.busy) await queue.flush();
    expect(await store.lookupJob('kept')).toMatchObject({ nextRunTime: next, acquiredBy: null });
  });
});

describe('the lease keeper', () => {
  it('extends the leases of held jobs, passes over those whose release is on its way, and reports one found lost', async () => {
    const { store, leases, events } = setup();
    await claimOne(store, 'running');
    await claimOne(store, 'releasing');
    await claimOne(store, 'lost');
    for (const id of ['running', 'releasing', 'lost']) leases.hold('default', id);
    leases.releasing('default', 'releasing');
    await store.extendLeases(['releasing', 'lost'], OWNER, 1, now());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.acquireDueJobs({ owner: 'other', now: now(), leaseMs: 30_000, limit: 10 });
    const before = (await store.lookupJob('running'))?.acquiredUntil?.getTime() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await leases.extendHeld();
    expect((await store.lookupJob('running'))?.acquiredUntil?.getTime()).toBeGreaterThan(before);
    expect(events.map((event) => (event.type === 'jobstore_error' ? event.jobId : null))).toStrictEqual(['lost']);
    leases.settled('default', 'running');
    expect([...(leases.heldIn('default') ?? [])].sort()).toStrictEqual(['lost', 'releasing']);
  });
});
