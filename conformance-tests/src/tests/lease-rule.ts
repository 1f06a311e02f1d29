import { compareIds, isClaimable, type StoredJob } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { T0 } from '../helpers.js';
import { RULES } from '../rules.js';

const ROUNDS = 12;
const CLAIMS_PER_ROUND = 6;
const IDS = ['a', 'B', 'a ', 'b', '\u00e9', '\uff5e', '\u{1F600}', 'z1', 'z2', 'z3'];
const OWNERS = ['w1', 'w2', 'w3'];

/** mulberry32: a seeded generator, so a failure names a seed that replays it. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

/** Rows on a grid of 21 ms, so due, not due, live, ended (and ending at `now`) leases and ties all occur. */
function randomRows(next: (below: number) => number): StoredJob[] {
  const rows: StoredJob[] = [];
  for (const id of IDS) {
    if (next(3) === 0) continue;
    const leased = next(2) === 0;
    rows.push({
      id,
      nextRunTime: next(5) === 0 ? null : T0 + next(21),
      data: '{"v":1,"d":{}}',
      version: 1,
      acquiredBy: leased ? (OWNERS[next(OWNERS.length)] ?? 'w1') : null,
      acquiredUntil: leased ? T0 + next(21) : null,
    });
  }
  return rows;
}

function dueOrder(a: StoredJob, b: StoredJob): number {
  return (a.nextRunTime ?? Infinity) - (b.nextRunTime ?? Infinity) || compareIds(a.id, b.id);
}

export function leaseRuleTests(h: Harness): void {
  describe('the shared lease rule', () => {
    it('acquireDueJobs claims exactly the rows isClaimable from @jobstore/core accepts, over random rows, owners and times', async () => {
      const seed = Math.floor(Math.random() * 2 ** 32);
      const next = generator(seed);
      for (let round = 0; round < ROUNDS; round++) {
        const namespace = h.freshNamespace();
        const model = new Map(randomRows(next).map((row) => [row.id, row]));
        for (const row of model.values()) await h.raw.write(namespace, row);
        const store = await h.open(namespace);
        for (let claim = 0; claim < CLAIMS_PER_ROUND; claim++) {
          const owner = OWNERS[next(OWNERS.length)] ?? 'w1';
          const now = T0 + next(26);
          const leaseMs = 1 + next(10);
          const limit = 1 + next(IDS.length);
          const expected = [...model.values()]
            .filter((row) => isClaimable(row, owner, now))
            .sort(dueOrder)
            .slice(0, limit);
          const before = [...model.values()].sort(dueOrder);
          const claimed = await store.acquireDueJobs({ owner, now: new Date(now), leaseMs, limit });
          const context = `${RULES.claim}\n(seed ${seed}, round ${round}, claim ${claim}: ${JSON.stringify({ owner, now: now - T0, limit, rows: before.map((row) => [row.id, row.nextRunTime === null ? null : row.nextRunTime - T0, row.acquiredBy, row.acquiredUntil === null ? null : row.acquiredUntil - T0]) })})`;
          expect(
            claimed.map((job) => job.id),
            context,
          ).toStrictEqual(expected.map((row) => row.id));
          for (const row of expected) model.set(row.id, { ...row, acquiredBy: owner, acquiredUntil: now + leaseMs });
        }
      }
    });
  });
}
