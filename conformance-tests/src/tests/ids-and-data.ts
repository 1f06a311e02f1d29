import { InvalidArgumentError, MAX_DATA_DEPTH, MAX_ID_LENGTH, SerializationError, type JobData } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { at, expectError, ids } from '../helpers.js';
import { RULES } from '../rules.js';

/** Ids that have broken job stores: path, key and query syntax, whitespace, case, unicode. */
export const ODD_IDS = [
  'a/b',
  '/',
  '/leading',
  'trailing/',
  '..',
  '.',
  '../../etc/passwd',
  'a b',
  ' ',
  ' padded ',
  'tab\there',
  'line\nbreak',
  'emoji \u{1F600}\u{1F389}',
  '\u00fcn\u00efc\u00f6d\u00e9',
  '\u65e5\u672c\u8a9e',
  'Case',
  'case',
  'case ',
  '%2F',
  'a%20b',
  '*',
  '?',
  '[x]',
  '{x}',
  "it's",
  'say "hi"',
  'back\\slash',
  'a:b',
  'key{tag}',
  '$set',
  'a.b',
  '__proto__',
  'constructor',
  'null',
  "'; DROP TABLE jobs; --",
  '\u200b',
  'x'.repeat(MAX_ID_LENGTH),
  '\u{1F600}'.repeat(MAX_ID_LENGTH),
];

export function idAndDataTests(h: Harness): void {
  describe('ids', () => {
    it('odd ids are stored, found, ordered and removed as distinct ids', async () => {
      const store = await h.open();
      for (const [i, id] of ODD_IDS.entries()) await store.addJob({ id, nextRunTime: at(0), data: { i } });
      const listed = await store.getAllJobs();
      expect(new Set(ids(listed)), RULES.oddIds).toStrictEqual(new Set(ODD_IDS));
      expect(listed.length, RULES.oddIds).toBe(ODD_IDS.length);
      for (const [i, id] of ODD_IDS.entries()) expect(await store.lookupJob(id), `${RULES.oddIds}: ${JSON.stringify(id)}`).toMatchObject({ id, data: { i } });
      for (const id of ODD_IDS) await store.removeJob(id);
      expect(await store.getAllJobs()).toStrictEqual([]);
    });

    it('an id of the longest allowed length works and one code point more is refused', async () => {
      const store = await h.open();
      const longest = `${'\u{1F600}'.repeat(MAX_ID_LENGTH - 1)}x`;
      await store.addJob({ id: longest, nextRunTime: at(0) });
      expect((await store.lookupJob(longest))?.id).toBe(longest);
      await expectError(store.addJob({ id: `${longest}y`, nextRunTime: at(0) }), InvalidArgumentError, /longer than 512 code points/);
    });

    it('ids that no backend can keep exactly are refused with InvalidArgumentError', async () => {
      const store = await h.open();
      for (const id of ['', 'nul\u0000byte', 'lone \ud800 surrogate', '\udc00', 42, null, undefined]) {
        await expectError(store.addJob({ id: id as string, nextRunTime: at(0) }), InvalidArgumentError, /job id/);
        await expectError(store.lookupJob(id as string), InvalidArgumentError, /job id/);
        await expectError(store.removeJob(id as string), InvalidArgumentError, /job id/);
      }
      expect(await store.getAllJobs()).toStrictEqual([]);
    });

    it('times that are not valid Dates in 1970..9999 are refused, storing nothing', async () => {
      const store = await h.open();
      const bad = [new Date(Number.NaN), new Date(-1), new Date(Date.UTC(10000, 0, 1)), '2030-01-01', T0Number(), undefined];
      for (const [i, nextRunTime] of bad.entries()) {
        await expectError(store.addJob({ id: `bad${i}`, nextRunTime: nextRunTime as Date }), InvalidArgumentError, /nextRunTime/);
      }
      await store.addJob({ id: 'ok', nextRunTime: at(0) });
      await expectError(store.updateJob('ok', { nextRunTime: new Date(Number.NaN) }), InvalidArgumentError, /nextRunTime/);
      expect(ids(await store.getAllJobs())).toStrictEqual(['ok']);
    });
  });

  describe('job data', () => {
    it('every codec type round-trips: Date, BigInt, Map, Set, Uint8Array, undefined and odd numbers', async () => {
      const store = await h.open();
      const data: JobData = {
        when: new Date(Date.UTC(2031, 1, 2, 3, 4, 5, 678)),
        invalidDate: new Date(Number.NaN),
        big: 2n ** 100n,
        negativeBig: -(2n ** 64n),
        map: new Map<unknown, unknown>([
          ['k', 1],
          [2, 'two'],
          [{ obj: 'key' }, [new Date(0)]],
        ]) as JobData[string],
        set: new Set([1, 'one', null]),
        bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
        empty: new Uint8Array(0),
        missing: undefined,
        arrayWithHoles: [1, undefined, 3],
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        ninf: Number.NEGATIVE_INFINITY,
        negativeZero: -0,
        max: Number.MAX_VALUE,
        tiny: Number.MIN_VALUE,
        unsafeInt: 2 ** 53 + 2,
        nested: { deeper: { list: [true, false, null, 'x', 1.5] } },
        nul: null,
      };
      await store.addJob({ id: 'types', nextRunTime: at(0), data });
      const back = (await store.lookupJob('types'))?.data;
      expect(back).toStrictEqual(data);
      expect(Object.is(back?.['negativeZero'], -0)).toBe(true);
      expect(Object.hasOwn(back ?? {}, 'missing')).toBe(true);
      expect(back?.['bytes']).toBeInstanceOf(Uint8Array);
    });

    it('keys that look like tags, operators or prototypes round-trip as plain keys', async () => {
      const store = await h.open();
      const data = JSON.parse('{"$t":"date","v":"2020-01-01T00:00:00.000Z","$set":{"a.b":1},"":"empty","__proto__":{"polluted":true},"constructor":{"prototype":1},"$where":"1==1"}') as JobData;
      await store.addJob({ id: 'keys', nextRunTime: at(0), data });
      const back = (await store.lookupJob('keys'))?.data ?? {};
      expect(Object.keys(back).sort()).toStrictEqual(['', '$set', '$t', '$where', '__proto__', 'constructor', 'v']);
      expect(back['$t']).toBe('date');
      expect(back['$set']).toStrictEqual({ 'a.b': 1 });
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toStrictEqual({ polluted: true });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('strings with NUL characters and lone surrogates round-trip, as values and as keys', async () => {
      const store = await h.open();
      const data = { nul: 'a\u0000b', lone: 'x\ud800y', tail: 'z\udfff', 'key\u0000with nul': 1, pair: '\u{1F600}' };
      await store.addJob({ id: 'strings', nextRunTime: at(0), data });
      expect((await store.lookupJob('strings'))?.data).toStrictEqual(data);
    });

    it('large data round-trips', async () => {
      const store = await h.open();
      const chars = h.target.maxDataChars ?? 256 * 1024;
      const text = 'lorem ipsum \u00e9\u65e5\u{1F600} '.repeat(Math.floor(chars / 2 / 18));
      const data = { text, numbers: Array.from({ length: 5000 }, (_, i) => i * 1.25) };
      await store.addJob({ id: 'large', nextRunTime: at(0), data });
      expect((await store.lookupJob('large'))?.data).toStrictEqual(data);
    });

    it('deeply nested data round-trips, and nesting past the limit is refused with its path', async () => {
      const store = await h.open();
      const nest = (depth: number): JobData => {
        let value: JobData = { leaf: [1, { x: 'y' }] };
        for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { child: value } : { list: [value] };
        return value;
      };
      const data = nest(300);
      await store.addJob({ id: 'deep', nextRunTime: at(0), data });
      expect((await store.lookupJob('deep'))?.data).toStrictEqual(data);
      await expectError(store.addJob({ id: 'too-deep', nextRunTime: at(0), data: nest(MAX_DATA_DEPTH * 2) }), SerializationError, /deeper than/);
      expect(await store.lookupJob('too-deep')).toBeNull();
    });

    it('values the codec cannot keep are refused with SerializationError naming the path, storing nothing', async () => {
      const store = await h.open();
      const cycle: Record<string, unknown> = { name: 'loop' };
      cycle['self'] = cycle;
      class Point {
        x = 1;
      }
      const cases: [JobData, RegExp][] = [
        [{ args: ['a', { callback: () => 1 }] } as unknown as JobData, /args\[1\]\.callback.*function/],
        [{ sym: Symbol('s') } as unknown as JobData, /sym.*symbol/],
        [{ point: new Point() } as unknown as JobData, /point.*Point/],
        [{ when: { re: /x/ } } as unknown as JobData, /when\.re.*RegExp/],
        [{ 'odd key': [cycle] } as unknown as JobData, /\["odd key"\]\[0\]\.self.*cycle/],
        [{ m: new Map([['k', () => 0]]) } as unknown as JobData, /m\.get\("k"\).*function/],
        [{ typed: new Int32Array(2) } as unknown as JobData, /typed.*Int32Array/],
      ];
      for (const [i, [data, message]] of cases.entries()) {
        const error = await expectError(store.addJob({ id: `bad${i}`, nextRunTime: at(0), data }), SerializationError, message);
        expect(error.jobId).toBe(`bad${i}`);
      }
      await expectError(store.addJob({ id: 'top', nextRunTime: at(0), data: [1] as unknown as JobData }), SerializationError, /plain object/);
      await store.addJob({ id: 'ok', nextRunTime: at(0), data: { fine: 1 } });
      await expectError(store.updateJob('ok', { data: { fn: () => 1 } as unknown as JobData }), SerializationError, /fn/);
      expect(await store.getAllJobs()).toMatchObject([{ id: 'ok', data: { fine: 1 }, version: 1 }]);
    });

    it('shared references are kept as copies, which is not a cycle', async () => {
      const store = await h.open();
      const shared = { same: true };
      await store.addJob({ id: 'dag', nextRunTime: at(0), data: { a: shared, b: [shared, shared] } });
      expect((await store.lookupJob('dag'))?.data).toStrictEqual({ a: { same: true }, b: [{ same: true }, { same: true }] });
    });
  });
}

function T0Number(): number {
  return at(0).getTime();
}
