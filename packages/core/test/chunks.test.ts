import { chunksWithin } from '@jobstore/core';
import { describe, expect, it } from 'vitest';

describe('chunksWithin', () => {
  it('keeps order and fills each chunk up to the cost and count limits', () => {
    expect(chunksWithin([1, 2, 3, 4, 5], (n) => n, 6)).toStrictEqual([[1, 2, 3], [4], [5]]);
    expect(chunksWithin(['a', 'b', 'c', 'd', 'e'], () => 1, 100, 2)).toStrictEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('gives an item over the cost limit a chunk of its own, and nothing for no items', () => {
    expect(chunksWithin([1, 50, 2], (n) => n, 10)).toStrictEqual([[1], [50], [2]]);
    expect(chunksWithin([], () => 1, 10)).toStrictEqual([]);
  });
});
