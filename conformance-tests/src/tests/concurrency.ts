import { ConflictingIdError, VersionConflictError, type JobRecord, type JobStore } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { addMany, at } from '../helpers.js';

const WORKERS = 8;
const JOBS = 500;
const LEASE = 60_000;
const ROUNDS = 4;

export function concurrencyTests(h: Harness): void {
  describe('many instances at once', () => {
    it('two writers at the same version: one wins, the other gets VersionConflictError', async () => {
      const [a, b] = [await h.open(), await h.open()];
      await a.addJob({ id: 'contested', nextRunTime: at(0), data: { by: 'nobody' } });
      const results = await Promise.allSettled([a.updateJob('contested', { data: { by: 'a' } }, { expectedVersion: 1 }), b.updateJob('contested', { data: { by: 'b' } }, { expectedVersion: 1 })]);
      const won = results.filter((r): r is PromiseFulfilledResult<JobRecord> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(VersionConflictError);
      expect(await a.lookupJob('contested')).toStrictEqual(won[0]?.value);
      expect(won[0]?.value.version).toBe(2);
    });

    it('eight instances adding the same id at once: exactly one succeeds', async () => {
      const stores = await Promise.all(Array.from({ length: WORKERS }, () => h.open()));
      const results = await Promise.allSettled(stores.map((store, i) => store.addJob({ id: 'once', nextRunTime: at(i), data: { i } })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictingIdError);
      expect(await stores[0]?.getAllJobs()).toHaveLength(1);
    });

    it(`${WORKERS} instances racing acquireDueJobs over ${JOBS} due jobs, ${ROUNDS} rounds: every job is acquired exactly once per lease`, async () => {
      const stores = await Promise.all(Array.from({ length: WORKERS }, () => h.open()));
      const [first] = stores as [JobStore];
      const all = await addMany(first, JOBS, () => at(0));
      for (let round = 0; round < ROUNDS; round++) {
        // Each round starts after the previous round's leases ended, so every job is claimable again.
        const now = at(round * (LEASE + 1));
        const next = at((round + 1) * (LEASE + 1));
        const release = round % 2 === 1;
        const claims = await Promise.all(stores.map((store, w) => (release ? claimAndRelease : claimAndHold)(store, `worker-${w}`, now, next, w)));
        const counts = new Map<string, number>();
        for (const claimed of claims) for (const id of claimed) counts.set(id, (counts.get(id) ?? 0) + 1);
        const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
        expect(twice, `round ${round}: jobs claimed by two owners`).toStrictEqual([]);
        expect([...counts.keys()].sort(), `round ${round}: jobs never claimed`).toStrictEqual(all);
        if (!release) expect(await first.acquireDueJobs({ owner: 'latecomer', now, leaseMs: LEASE, limit: 100 })).toStrictEqual([]);
      }
    }, 180_000);
  });
}

/** Claims in small batches and keeps every lease; stops once a call finds nothing more to claim. */
async function claimAndHold(store: JobStore, owner: string, now: Date, _next: Date, seed: number): Promise<string[]> {
  const held = new Set<string>();
  const batch = 7 + seed * 5;
  for (;;) {
    // Own leases come back too, so ask for them plus a fresh batch.
    const limit = Math.min(10_000, held.size + batch);
    const claimed = await store.acquireDueJobs({ owner, now, leaseMs: LEASE, limit });
    for (const job of claimed) {
      expect(job.acquiredBy).toBe(owner);
      expect(job.acquiredUntil).toStrictEqual(new Date(now.getTime() + LEASE));
      held.add(job.id);
    }
    if (claimed.length < limit) return [...held];
  }
}

/** Claims, then releases each job to the next round before claiming again, as a scheduler does. */
async function claimAndRelease(store: JobStore, owner: string, now: Date, next: Date, seed: number): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const claimed = await store.acquireDueJobs({ owner, now, leaseMs: LEASE, limit: 3 + seed * 4 });
    if (claimed.length === 0) return seen;
    for (const job of claimed) seen.push(job.id);
    await Promise.all(claimed.map((job) => store.releaseJob(job.id, owner, { nextRunTime: next })));
  }
}
