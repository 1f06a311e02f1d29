import { CODEC_VERSION, decodeData, encodeData, MAX_DATA_DEPTH, SerializationError, type JobData } from '@jobstore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function roundTrip(data: JobData): JobData {
  return decodeData(encodeData(data));
}

describe('codec: the stored form', () => {
  it('writes a versioned envelope of plain JSON for JSON values', () => {
    expect(encodeData({ a: 1, b: [true, null, 'x'], c: { d: 1.5 } })).toBe('{"v":1,"d":{"a":1,"b":[true,null,"x"],"c":{"d":1.5}}}');
    expect(CODEC_VERSION).toBe(1);
  });

  it('writes each non-JSON value as a tagged object', () => {
    const text = encodeData({
      date: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6)),
      big: 12345678901234567890n,
      undef: undefined,
      nan: Number.NaN,
      negZero: -0,
      bytes: new Uint8Array([1, 2, 255]),
      map: new Map([[1, 'a']]),
      set: new Set(['x']),
    });
    expect(JSON.parse(text)).toStrictEqual({
      v: 1,
      d: {
        date: { $t: 'date', v: '2030-01-02T03:04:05.006Z' },
        big: { $t: 'bigint', v: '12345678901234567890' },
        undef: { $t: 'undefined' },
        nan: { $t: 'number', v: 'NaN' },
        negZero: { $t: 'number', v: '-0' },
        bytes: { $t: 'bytes', v: 'AQL/' },
        map: { $t: 'map', v: [[1, 'a']] },
        set: { $t: 'set', v: ['x'] },
      },
    });
  });

  it('moves an object whose keys could be read as a tag into an entry list', () => {
    expect(JSON.parse(encodeData({ $t: 'date', v: 'x' }))).toStrictEqual({
      v: 1,
      d: {
        $t: 'object',
        v: [
          ['$t', 'date'],
          ['v', 'x'],
        ],
      },
    });
  });

  it('never writes a NUL or a lone surrogate, even escaped, so JSONB and BSON take the text', () => {
    const text = encodeData({ nul: 'a\u0000b', lone: '\ud800', ['k\u0000']: '\udfff', fine: '\u{1F600}' });
    expect(text).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/i);
    expect(text).not.toContain('\u0000');
    expect(text).toContain('\u{1F600}');
  });

  it('keeps Buffers as Uint8Array and null-prototype objects as plain objects', () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const back = roundTrip({ buf: Buffer.from('hi'), obj: nullProto as JobData });
    expect(back['buf']).toStrictEqual(new Uint8Array([104, 105]));
    expect(back['obj']).toStrictEqual({ a: 1 });
  });

  it('keeps sparse array holes as undefined and ignores non-enumerable properties', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about
    const sparse = [1, , 3];
    const hidden = {};
    Object.defineProperty(hidden, 'secret', { value: 1, enumerable: false });
    expect(roundTrip({ sparse, hidden })).toStrictEqual({ sparse: [1, undefined, 3], hidden: {} });
  });
});

describe('codec: refusals name the path', () => {
  const cases: [string, unknown, string][] = [
    ['a function in an array in an object', { args: [0, { callback: () => 1 }] }, 'args[1].callback'],
    ['a symbol value', { s: Symbol('x') }, 's'],
    ['a symbol key', { nested: { [Symbol('k')]: 1 } }, 'nested'],
    ['a class instance', { when: new (class Custom {})() }, 'when'],
    ['an odd key', { 'has space': { 'x-y': () => 0 } }, '["has space"]["x-y"]'],
    ['a map value', { m: new Map([['k', Symbol('v')]]) }, 'm.get("k")'],
    ['a map key', { m: new Map([[() => 0, 1]]) }, 'm.keys()[0]'],
    ['a set member', { s: new Set([1, () => 0]) }, 's.values()[1]'],
    ['a Date subclass', { d: new (class MyDate extends Date {})() }, 'd'],
    ['a WeakMap', { w: new WeakMap() }, 'w'],
    ['a Promise', { p: Promise.resolve(1) }, 'p'],
  ];
  for (const [name, data, path] of cases) {
    it(`refuses ${name} at ${path}`, () => {
      let error: unknown;
      try {
        encodeData(data as JobData, 'job-1');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SerializationError);
      expect((error as SerializationError).path).toBe(path);
      expect((error as SerializationError).message).toContain(`job data at ${path} of job "job-1"`);
    });
  }

  it('refuses a cycle but not a shared reference', () => {
    const loop: Record<string, unknown> = {};
    loop['again'] = { back: loop };
    expect(() => encodeData({ loop } as JobData)).toThrow(/loop\.again\.back: the value contains itself/);
    const shared = { x: 1 };
    expect(roundTrip({ a: shared, b: shared })).toStrictEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it(`accepts ${MAX_DATA_DEPTH} levels of nesting and refuses more`, () => {
    let ok: unknown = 0;
    for (let i = 0; i < MAX_DATA_DEPTH - 1; i++) ok = [ok];
    expect(roundTrip({ ok } as JobData)).toStrictEqual({ ok });
    expect(() => encodeData({ deeper: [ok] } as JobData)).toThrow(SerializationError);
  });

  it('refuses data that is not a plain object', () => {
    for (const data of [null, [], 'x', new Map(), new Date()]) expect(() => encodeData(data as unknown as JobData)).toThrow(/must be a plain object/);
  });
});

describe('codec: decoding', () => {
  const bad: [string, string, RegExp][] = [
    ['text that is not JSON', 'nope', /not JSON/],
    ['an envelope without data', '{"v":1}', /not a jobstore data envelope/],
    ['a future codec version', '{"v":2,"d":{}}', /unknown codec version 2/],
    ['an unknown tag', '{"v":1,"d":{"x":{"$t":"function","v":"return process"}}}', /x: unknown tag "function"/],
    ['a tag with extra fields', '{"v":1,"d":{"x":{"$t":"date","v":"2020-01-01T00:00:00.000Z","y":1}}}', /malformed tagged value/],
    ['a bad date', '{"v":1,"d":{"x":{"$t":"date","v":"tomorrow"}}}', /bad date/],
    ['a bad bigint', '{"v":1,"d":{"x":{"$t":"bigint","v":"1e3"}}}', /bad bigint/],
    ['bad base64', '{"v":1,"d":{"x":{"$t":"bytes","v":"!!"}}}', /bad base64/],
    ['a bad string payload', '{"v":1,"d":{"x":{"$t":"string","v":[70000]}}}', /code units/],
    ['a non-object top level', '{"v":1,"d":[1]}', /top level/],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with a decode SerializationError`, () => {
      let error: unknown;
      try {
        decodeData(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SerializationError);
      expect((error as SerializationError).direction).toBe('decode');
      expect((error as SerializationError).message).toMatch(message);
    });
  }

  it('creates an own "__proto__" key instead of changing a prototype', () => {
    const data = decodeData('{"v":1,"d":{"__proto__":{"polluted":1},"o":{"$t":"object","v":[["__proto__",2]]}}}');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toStrictEqual({ polluted: 1 });
    expect(Object.getOwnPropertyDescriptor(data['o'], '__proto__')?.value).toBe(2);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('codec: properties', () => {
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.double(),
      fc.bigInt(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme-composite' }),
      fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15) }),
      fc.uint8Array({ maxLength: 20 }),
    ),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object'), tie('map'), tie('set')),
    array: fc.array(tie('node'), { maxLength: 5 }),
    object: fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 5, noNullPrototype: true }),
    map: fc.array(fc.tuple(tie('node'), tie('node')), { maxLength: 3 }).map((entries) => new Map(entries)),
    set: fc.array(tie('node'), { maxLength: 3 }).map((items) => new Set(items)),
  }));

  it('decode(encode(x)) equals x for any data the codec accepts', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), value.node, { maxKeys: 6, noNullPrototype: true }), (data) => {
        const text = encodeData(data as JobData);
        expect(text).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/i);
        expect(decodeData(text)).toStrictEqual(data);
      }),
      { numRuns: 500 },
    );
  });

  it('decoding arbitrary text either returns data or throws SerializationError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => `{"v":1,"d":${json}}`),
        ),
        (text) => {
          try {
            const data = decodeData(text);
            expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
          } catch (error) {
            expect(error).toBeInstanceOf(SerializationError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
