import { describe, expect, it } from 'vitest';
import { checkLedger, type LedgerEntry } from '../src/ledger.js';

// The checker is what every scenario's verdict rests on: it must catch each kind of failure.
const run = (jobId: string, fireTime: number, pid: number): LedgerEntry => ({ jobId, fireTime, pid, startedAt: fireTime });
const expected = new Map([
  ['a', [1000, 2000]],
  ['b', [1500]],
]);

describe('checkLedger', () => {
  it('passes a ledger where every fire time ran once', () => {
    const check = checkLedger(expected, [run('a', 1000, 1), run('a', 2000, 2), run('b', 1500, 1)]);
    expect(check).toStrictEqual({ fireTimes: 3, ran: 3, missed: [], explainedDuplicates: 0, unexplainedDuplicates: [], unexpected: [], processes: 2 });
  });

  it('names a fire time that never ran', () => {
    expect(checkLedger(expected, [run('a', 1000, 1), run('b', 1500, 1)]).missed).toStrictEqual(['a@1970-01-01T00:00:02.000Z']);
  });

  it('counts a repeat as explained only when the other runs came from killed processes', () => {
    const entries = [run('a', 1000, 1), run('a', 1000, 2), run('a', 2000, 3), run('b', 1500, 3), run('b', 1500, 4)];
    const check = checkLedger(expected, entries, new Set([1]));
    expect(check.explainedDuplicates).toBe(1);
    expect(check.unexplainedDuplicates).toStrictEqual(['b@1970-01-01T00:00:01.500Z ran 2 times (pids 3, 4)']);
    // Without any killed process, both repeats are failures.
    expect(checkLedger(expected, entries).unexplainedDuplicates).toHaveLength(2);
    // Two runs that both died with their processes, then one that lived: still explained.
    expect(checkLedger(new Map([['c', [5]]]), [run('c', 5, 1), run('c', 5, 2), run('c', 5, 3)], new Set([1, 2])).explainedDuplicates).toBe(1);
  });

  it('reports runs of fire times that were never scheduled', () => {
    expect(checkLedger(expected, [run('a', 1000, 1), run('a', 2000, 1), run('b', 1500, 1), run('a', 3000, 1), run('zz', 1, 1)]).unexpected).toStrictEqual(['a@1970-01-01T00:00:03.000Z', 'zz@1970-01-01T00:00:00.001Z']);
  });
});
