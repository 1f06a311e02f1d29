import { describe, expect, it } from 'vitest';
import { checkLedger, type LedgerEntry } from '../src/ledger.js';
import { releaseLags, type ReleaseEntry } from '../src/release-log.js';

// The checker is what every scenario's verdict rests on: it must catch each kind of failure.
const run = (jobId: string, fireTime: number, pid: number, startedAt = fireTime): LedgerEntry => ({ jobId, fireTime, pid, startedAt });
const expected = new Map([
  ['a', [1000, 2000]],
  ['b', [1500]],
]);
/** pid 1 killed at 1100, pid 2 at 5100. */
const kills = new Map([
  [1, 1100],
  [2, 5100],
]);
const released = (jobId: string, pid: number, at: number): ReleaseEntry => ({ jobId, pid, at });

describe('checkLedger', () => {
  it('passes a ledger where every fire time ran once', () => {
    const check = checkLedger(expected, [run('a', 1000, 1), run('a', 2000, 2), run('b', 1500, 1)]);
    expect(check).toStrictEqual({ fireTimes: 3, ran: 3, missed: [], explainedDuplicates: 0, unexplainedDuplicates: [], unexpected: [], processes: 2, kills: [] });
  });

  it('names a fire time that never ran', () => {
    expect(checkLedger(expected, [run('a', 1000, 1), run('b', 1500, 1)]).missed).toStrictEqual(['a@1970-01-01T00:00:02.000Z']);
  });

  it('explains a repeat of a run in flight at a kill, run again after it', () => {
    // pid 1 ran a@1000 and b@1500 (b at 1050) and was killed before releasing either; pid 3 ran them again once the leases ended.
    const entries = [run('a', 1000, 1), run('b', 1500, 1, 1050), run('a', 1000, 3, 4000), run('b', 1500, 3, 4000), run('a', 2000, 3)];
    const check = checkLedger(expected, entries, kills, [released('a', 3, 4001), released('b', 3, 4001)]);
    expect(check.explainedDuplicates).toBe(2);
    expect(check.unexplainedDuplicates).toStrictEqual([]);
    expect(check.kills).toStrictEqual([
      { pid: 1, inFlight: 2, repeated: 2 },
      { pid: 2, inFlight: 0, repeated: 0 },
    ]);
  });

  it('fails a repeat when the first process was never killed', () => {
    const check = checkLedger(expected, [run('a', 1000, 3), run('a', 1000, 4, 4000), run('a', 2000, 3), run('b', 1500, 3)], kills);
    expect(check.unexplainedDuplicates).toStrictEqual(['a@1970-01-01T00:00:01.000Z ran 2 times (pids 3, 4): pid 3 was never killed']);
  });

  it('fails a repeat of a run whose job was released before the kill', () => {
    // The release wrote the next fire time: whatever ran it again did not follow the kill.
    const check = checkLedger(expected, [run('a', 1000, 1), run('a', 1000, 3, 4000), run('a', 2000, 3), run('b', 1500, 3)], kills, [released('a', 1, 1005)]);
    expect(check.unexplainedDuplicates).toStrictEqual(['a@1970-01-01T00:00:01.000Z ran 2 times (pids 1, 3): pid 1 had released the job before it was killed']);
    expect(check.kills[0]).toStrictEqual({ pid: 1, inFlight: 0, repeated: 0 });
  });

  it('fails a repeat begun while the first process still lived, though it was killed later', () => {
    // Its lease ran out under it: that is no crash's doing.
    const check = checkLedger(expected, [run('a', 1000, 1), run('a', 1000, 3, 1060), run('a', 2000, 3), run('b', 1500, 3)], kills);
    expect(check.unexplainedDuplicates).toStrictEqual(['a@1970-01-01T00:00:01.000Z ran 2 times (pids 1, 3): pid 3 ran it 40 ms before pid 1 was killed']);
  });

  it('explains a chain of kills: each run but the last in flight at its own kill', () => {
    const chain = [run('c', 5, 1, 1000), run('c', 5, 2, 5000), run('c', 5, 3, 9000)];
    expect(checkLedger(new Map([['c', [5]]]), chain, kills).explainedDuplicates).toBe(1);
    // The same runs, the second begun before pid 1 died: a failure.
    const early = [run('c', 5, 1, 1000), run('c', 5, 2, 1090), run('c', 5, 3, 9000)];
    expect(checkLedger(new Map([['c', [5]]]), early, kills).unexplainedDuplicates).toHaveLength(1);
  });

  it('reports runs of fire times that were never scheduled', () => {
    expect(checkLedger(expected, [run('a', 1000, 1), run('a', 2000, 1), run('b', 1500, 1), run('a', 3000, 1), run('zz', 1, 1)]).unexpected).toStrictEqual([
      'a@1970-01-01T00:00:03.000Z',
      'zz@1970-01-01T00:00:00.001Z',
    ]);
  });
});

describe('releaseLags', () => {
  it('measures each run to the first release of its job by its own process after it began', () => {
    const entries = [run('a', 1000, 1), run('a', 2000, 1), run('b', 1500, 2), run('b', 1500, 3)];
    expect(releaseLags(entries, [released('a', 1, 1030), released('a', 1, 2005), released('b', 2, 1490), released('b', 2, 1600)])).toStrictEqual([5, 30, 100]);
  });
});
