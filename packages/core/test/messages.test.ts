import { AndTrigger, CorruptJobError, createTrigger, describeValue, InvalidTriggerError, StoreUnavailableError } from '@jobstore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Values on which String(value), `${value}` or JSON.stringify(value) throw. */
function unprintable(): [string, unknown][] {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle['self'] = cycle;
  return [
    ['a null-prototype object', Object.create(null)],
    [
      'an object whose Symbol.toPrimitive throws',
      {
        [Symbol.toPrimitive]: () => {
          throw new Error('no primitive');
        },
      },
    ],
    [
      'an object whose toString throws',
      {
        toString: () => {
          throw new Error('no string');
        },
      },
    ],
    ['an array holding a null-prototype object', [Object.create(null)]],
    ['a revoked Proxy', revoked.proxy],
    [
      'an object with a throwing getter',
      Object.defineProperty({}, 'boom', {
        enumerable: true,
        get: () => {
          throw new Error('getter');
        },
      }),
    ],
    ['a cycle', cycle],
    ['a BigInt inside an object', { n: 10n }],
    ['an object pretending to be a Date', Object.create(Date.prototype)],
    ['a symbol', Symbol('s')],
  ];
}

describe('describeValue', () => {
  it('describes values readably: strings quoted, Dates as ISO, BigInts with n, small arrays and objects written out', () => {
    expect(describeValue('a "b"\n')).toBe('"a \\"b\\"\\n"');
    expect(describeValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(describeValue(new Date(Number.NaN))).toBe('Invalid Date');
    expect(describeValue(12n)).toBe('12n');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue([1, 'a', null])).toBe('[1, "a", null]');
    expect(describeValue({ a: 1, 'odd key': [true] })).toBe('{ a: 1, "odd key": [true] }');
    expect(describeValue(Object.create(null))).toBe('[object: null prototype] {}');
    expect(describeValue(new Map())).toBe('[object Map]');
    expect(describeValue(new (class Foo {})())).toBe('[object Foo]');
    expect(describeValue(function named() {})).toBe('[function named]');
    expect(describeValue(undefined)).toBe('undefined');
  });

  it('never throws, for values String() and JSON.stringify() throw on', () => {
    for (const [label, value] of unprintable()) {
      expect(() => describeValue(value), label).not.toThrow();
      expect(typeof describeValue(value), label).toBe('string');
    }
    expect(describeValue(Object.create(Date.prototype))).toBe('[object Date]');
    expect(describeValue({ n: 10n })).toBe('{ n: 10n }');
  });

  it('cuts long values: a string at 60 units, a description at 200, never between the halves of a surrogate pair', () => {
    expect(describeValue('x'.repeat(1000))).toBe(`"${'x'.repeat(60)}"…`);
    expect(describeValue(`${'x'.repeat(59)}\u{1F600}`)).toBe(`"${'x'.repeat(59)}"…`);
    expect(describeValue(Array.from({ length: 100 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, … 95 more]');
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }), (value) => {
        expect(describeValue(value).length).toBeLessThanOrEqual(200);
      }),
    );
  });
});

describe('error messages never crash on the value they describe', () => {
  for (const [label, value] of unprintable()) {
    it(`createTrigger refuses ${label} as an option value with InvalidTriggerError naming the option`, () => {
      let thrown: unknown;
      try {
        createTrigger('interval', { weeks: value } as Record<string, unknown>);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidTriggerError);
      expect((thrown as InvalidTriggerError).field).toBe('weeks');
      expect((thrown as Error).message).toMatch(/^interval trigger: invalid weeks .+: must be a number, 0 or more$/);
    });
  }

  it('every trigger option takes any value, and every refusal is an InvalidTriggerError', () => {
    const options = ['weeks', 'startDate', 'endDate', 'timezone', 'jitter', 'runDate', 'hour', 'day', 'years'];
    for (const type of ['date', 'interval', 'cron', 'calendarInterval']) {
      for (const option of options) {
        for (const [label, value] of unprintable()) {
          let thrown: unknown;
          try {
            createTrigger(type, { [option]: value });
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${type} ${option}: ${label}`).toBeInstanceOf(InvalidTriggerError);
        }
      }
    }
    expect(() => new AndTrigger([createTrigger('cron', { hour: 1 })], { threshold: Object.create(null) })).toThrow(InvalidTriggerError);
  });

  it('CorruptJobError and StoreUnavailableError describe a thrown non-Error safely, and keep a thrown string as it is', () => {
    const weird = Object.create(null) as object;
    expect(new CorruptJobError('memory:x', 'j', 'lookupJob', weird).message).toBe('job "j" in store "memory:x" (lookupJob) cannot be decoded and was left as stored: [object: null prototype] {}');
    expect(new StoreUnavailableError('memory:x', 'open', 'connection refused').message).toBe('store "memory:x" is unavailable (open): connection refused');
    expect(new StoreUnavailableError('memory:x', 'open', weird).cause).toBe(weird);
  });
});
