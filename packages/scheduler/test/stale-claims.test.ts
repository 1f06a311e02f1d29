import type { JobRecord } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { StaleClaimGuard } from '../src/dispatch/stale-claims.js';

const record = (id: string, version: number): JobRecord => ({ id, version, nextRunTime: new Date(0), data: {}, acquiredBy: 'me', acquiredUntil: new Date(1) });

describe('the stale-claim guard', () => {
  it('a claim that read a job before our release of it committed is stale; one at or past the released version is not', () => {
    const guard = new StaleClaimGuard(() => 0, 60_000);
    guard.released('default', 'j', 4, false);
    expect(guard.check('default', record('j', 3))).toBe(true);
    expect(guard.check('default', record('j', 4))).toBe(false);
    expect(guard.check('default', record('j', 5))).toBe(false);
    expect(guard.check('other', record('j', 3))).toBe(false);
  });

  it('a job our release removed answers "removed": only the store can tell a new job under its id from a stale read', () => {
    const guard = new StaleClaimGuard(() => 0, 60_000);
    guard.released('default', 'j', 8, true);
    expect(guard.check('default', record('j', 1))).toBe('removed');
    guard.forget('default', 'j');
    expect(guard.check('default', record('j', 1))).toBe(false);
  });

  it("a release is remembered for keepMs of the scheduler's clock, then forgotten by check and by prune", () => {
    let now = 0;
    const guard = new StaleClaimGuard(() => now, 1000);
    guard.released('default', 'a', 2, false);
    guard.released('default', 'b', 2, false);
    now = 1000;
    expect(guard.check('default', record('a', 1))).toBe(true);
    now = 1001;
    expect(guard.check('default', record('a', 1))).toBe(false);
    expect(guard.size).toBe(1);
    guard.prune();
    expect(guard.size).toBe(0);
  });
});
