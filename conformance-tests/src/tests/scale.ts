import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { addMany, at, ids } from '../helpers.js';

const JOBS = 20_000;
const DUE = 1_000;

export function scaleTests(h: Harness): void {
  describe('scale', () => {
    it(`with ${JOBS} jobs, the due query, acquisition and next run time see only the due ones`, async () => {
      const store = await h.open();
      // Job i is due at T0 + i ms; paused every 97th, to mix them in.
      await addMany(store, JOBS, (i) => (i % 97 === 50 ? null : at(i)), 'job-', 200);
      const due = await store.getDueJobs(at(DUE - 1));
      const expected = Array.from({ length: DUE }, (_, i) => i).filter((i) => i % 97 !== 50);
      expect(ids(due)).toStrictEqual(expected.map((i) => `job-${String(i).padStart(6, '0')}`));
      const claimed = await store.acquireDueJobs({ owner: 'w', now: at(DUE - 1), leaseMs: 60_000, limit: 10_000 });
      expect(claimed.length).toBe(expected.length);
      expect(await store.acquireDueJobs({ owner: 'v', now: at(DUE - 1), leaseMs: 60_000, limit: 10_000 })).toStrictEqual([]);
      expect(await store.getNextRunTime()).toStrictEqual(at(DUE));
    }, 300_000);
  });
}
