import { describe, expect, it } from 'vitest';
import { StoreBackoff } from '../src/dispatch/backoff.js';

describe('store backoff', () => {
  it("waits 100 ms after a first failure, doubling up to 5 s, by the scheduler's clock", () => {
    let now = 1_000_000;
    const backoff = new StoreBackoff(() => now);
    expect(backoff.waitFor('a')).toBeNull();
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => backoff.failed('a'))).toStrictEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(backoff.waitFor('a')).toBe(5000);
    now += 4999;
    expect(backoff.waitFor('a')).toBe(1);
    now += 1;
    expect(backoff.waitFor('a')).toBeNull();
  });

  it('a success forgets the failures; stores back off on their own', () => {
    const now = 0;
    const backoff = new StoreBackoff(() => now);
    backoff.failed('a');
    backoff.failed('a');
    expect(backoff.waitFor('b')).toBeNull();
    backoff.succeeded('a');
    expect(backoff.waitFor('a')).toBeNull();
    expect(backoff.failed('a')).toBe(100);
  });
});
