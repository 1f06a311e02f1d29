import { compareIds, isClaimable, type StoredJob } from '@jobstore/core';
import { MemoryDatabase, MemoryJobStore } from '@jobstore/store-memory';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const OWNERS = ['w1', 'w2', 'w3'];

/** Rows on a small grid of times, so that due, not due, live, ended and own leases all occur, with ties. */
const rowsArbitrary = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom('a', 'b', 'B', 'c', 'a ', '\u00e9', '\u{1F600}', 'z1', 'z2', 'z3'),
    nextRunTime: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    lease: fc.option(fc.record({ by: fc.constantFrom(...OWNERS), until: fc.integer({ min: 0, max: 20 }) }), { nil: null }),
  }),
  { selector: (row) => row.id, maxLength: 10 },
);

function toRow(spec: { id: string; nextRunTime: number | null; lease: { by: string; until: number } | null }): StoredJob {
  return { id: spec.id, nextRunTime: spec.nextRunTime, data: '{"v":1,"d":{}}', version: 1, acquiredBy: spec.lease?.by ?? null, acquiredUntil: spec.lease?.until ?? null };
}

/** Due order: (nextRunTime, id in code point order). */
function dueOrder(a: StoredJob, b: StoredJob): number {
  return (a.nextRunTime ?? Infinity) - (b.nextRunTime ?? Infinity) || compareIds(a.id, b.id);
}

describe('the memory store claims exactly what the shared lease rule allows', () => {
  it('acquireDueJobs claims the first `limit` rows isClaimable accepts, in due order, over random rows, owners and times', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, fc.constantFrom(...OWNERS), fc.integer({ min: 0, max: 21 }), fc.integer({ min: 1, max: 12 }), async (specs, owner, now, limit) => {
        const database = new MemoryDatabase();
        const rows = specs.map(toRow);
        for (const row of rows) database.writeRow('jobs', row);
        const store = new MemoryJobStore({ database, logger: false });
        const claimed = await store.acquireDueJobs({ owner, now: new Date(now), leaseMs: 1000, limit });
        const expected = rows
          .filter((row) => isClaimable(row, owner, now))
          .sort(dueOrder)
          .slice(0, limit)
          .map((row) => row.id);
        expect(claimed.map((job) => job.id)).toStrictEqual(expected);
        await store.close();
      }),
      { numRuns: 300 },
    );
  });
});
