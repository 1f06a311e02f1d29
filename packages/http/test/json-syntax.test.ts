import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, parseJson } from '../src/json-syntax.js';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 1, 8, 'trailing comma before "}"'],
    ['[1, 2, ]', 1, 6, 'trailing comma before "]"'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "," or "}" after a property value, found a double quote'],
    ['[1 2]', 1, 4, 'expected "," or "]" after an array element, found "2"'],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name, found "1"'],
    ['{a: 1}', 1, 2, 'property names must be in double quotes'],
    ["{'a': 1}", 1, 2, 'property names must be in double quotes, not single quotes'],
    ["['a']", 1, 2, 'strings must be in double quotes, not single quotes'],
    ['{"a": undefined}', 1, 7, 'unexpected word "undefined"; a JSON value is a string in double quotes, a number, true, false, null, an object or an array'],
    ['[NaN]', 1, 2, 'unexpected word "NaN"; a JSON value is a string in double quotes, a number, true, false, null, an object or an array'],
    ['[01]', 1, 2, 'numbers cannot start with 0'],
    ['[1.]', 1, 3, 'invalid number'],
    ['[-]', 1, 2, 'invalid number'],
    ['["a\\x"]', 1, 4, 'invalid escape "\\x" in a string'],
    ['["\\u12G4"]', 1, 3, '"\\u" must be followed by four hexadecimal digits'],
    ['["a\tb"]', 1, 4, 'a tab in a string (write it as an escape)'],
    ['"abc', 1, 1, 'this string is never closed'],
    ['{\n  "a": 1\n  /* no */\n}', 3, 3, 'comments are not allowed in JSON'],
    ['{\r\n  "a": [1,\r\n  ]\r\n}', 2, 10, 'trailing comma before "]"'],
    ['{"a": {"b": [1, {"c": }]}}', 1, 23, 'unexpected "}"; expected a value'],
    ['{} []', 1, 4, 'unexpected "[" after the end of the JSON value'],
    ['{"a": 1', 1, 8, 'unexpected end of the text; expected "," or "}"'],
    ['   ', 1, 4, 'the text is empty; expected a JSON value'],
    ['["\u0001"]', 1, 3, 'character U+0001 in a string (write it as an escape)'],
  ])('%j: line %i, column %i: %s', (text, line, column, reason) => {
    expect(findJsonSyntaxError(text)).toMatchObject({ line, column, reason });
  });

  it('finds nothing wrong in any JSON, and something wrong wherever JSON.parse fails (thousands of texts)', () => {
    const agrees = (text: string): void => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const found = findJsonSyntaxError(text);
      expect(found === undefined, `${JSON.stringify(text)}: ${JSON.stringify(found)}`).toBe(valid);
      if (found !== undefined) expect(found.offset).toBeLessThanOrEqual(text.length);
    };
    fc.assert(
      fc.property(fc.json(), (text) => agrees(text)),
      { numRuns: 2000 },
    );
    // Broken JSON: a valid text with one character removed, replaced or added.
    const broken = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', "'", '/', 'x', '0', '\n', '\\', ' ')).map(([text, at, char]) => {
      const i = at % (text.length + 1);
      return at % 2 === 0 ? text.slice(0, i) + char + text.slice(i + 1) : text.slice(0, i) + char + text.slice(i);
    });
    fc.assert(
      fc.property(broken, (text) => agrees(text)),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => agrees(text)),
      { numRuns: 3000 },
    );
  });

  it('scans nesting far deeper than a recursive parser could', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(99_999)}`;
    expect(findJsonSyntaxError(deep)).toMatchObject({ line: 1, column: 200_001, reason: 'unexpected end of the text; expected "," or "]"' });
  });
});

describe('parseJson', () => {
  it('skips a byte order mark, as editors on Windows write one', () => {
    expect(parseJson('\uFEFF{"a": 1}')).toStrictEqual({ ok: true, value: { a: 1 } });
  });
});
