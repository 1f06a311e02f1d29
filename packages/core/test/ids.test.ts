import { assertJobId, compareIds, InvalidArgumentError, MAX_ID_LENGTH } from '@jobstore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('compareIds', () => {
  it('orders as UTF-8 bytes do, which is what databases use', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareIds(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 5000 },
    );
  });

  it('puts U+FF5E before an emoji, which UTF-16 order gets wrong', () => {
    expect('\uff5e' < '\u{1F600}').toBe(false);
    expect(compareIds('\uff5e', '\u{1F600}')).toBeLessThan(0);
    expect(compareIds('a', 'a ')).toBeLessThan(0);
    expect(compareIds('A', 'a')).toBeLessThan(0);
    expect(compareIds('same', 'same')).toBe(0);
  });
});

describe('assertJobId', () => {
  it('counts the length in code points', () => {
    expect(() => assertJobId('\u{1F600}'.repeat(MAX_ID_LENGTH), 'test')).not.toThrow();
    expect(() => assertJobId('\u{1F600}'.repeat(MAX_ID_LENGTH + 1), 'test')).toThrow(InvalidArgumentError);
    expect(() => assertJobId('x'.repeat(MAX_ID_LENGTH + 1), 'test')).toThrow(/longer than 512 code points/);
  });

  it('names the operation and the problem', () => {
    expect(() => assertJobId('', 'updateJob')).toThrow('updateJob: job id must not be empty');
    expect(() => assertJobId(7, 'addJob')).toThrow('addJob: job id must be a string, got number');
    expect(() => assertJobId('a\u0000', 'addJob')).toThrow(/NUL character or a lone surrogate/);
  });
});
