/**
 * Where JSON text goes wrong, as a line and a column. Node 20's JSON.parse names no position for
 * many errors ("Unexpected token '}', ... is not valid JSON"), so the text is scanned again here
 * to find the first place it stops being JSON, and why, in words a config file's author reads.
 */

/** The first syntax error in a JSON text: 1-based line and column (in characters), and why. */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  /** 0-based offset in the text, in UTF-16 units. */
  readonly offset: number;
  readonly reason: string;
}

/** JSON.parse's result, or where and why the text is not JSON. A leading byte order mark is skipped. */
export function parseJson(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: JsonSyntaxError } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    const found = findJsonSyntaxError(body);
    // The scanner and V8 agree on JSON; should they ever differ, V8's words are still an answer.
    return { ok: false, error: found ?? { line: 1, column: 1, offset: 0, reason: (error as Error).message } };
  }
}

/** The first syntax error in `text`, or undefined when it is one JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const offsetAndReason = new Scanner(text).scan();
  return offsetAndReason === undefined ? undefined : { ...position(text, offsetAndReason.offset), offset: offsetAndReason.offset, reason: offsetAndReason.reason };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  // Columns count characters (code points), as editors show them.
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

/** A character as the messages show it. */
function shown(char: string): string {
  if (char === '\n') return 'a line break';
  if (char === '\t') return 'a tab';
  if (char === '"') return 'a double quote';
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(char);
}

const WORD = /[A-Za-z_$][\w$]*/y;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

interface Problem {
  readonly offset: number;
  readonly reason: string;
}

/** An iterative scanner (an explicit stack, so no nesting depth overflows it). */
class Scanner {
  readonly #text: string;
  #pos = 0;
  readonly #stack: ('object' | 'array')[] = [];
  /** Where the last comma was, for "trailing comma". */
  #comma = -1;

  constructor(text: string) {
    this.#text = text;
  }

  scan(): Problem | undefined {
    const text = this.#text;
    if (text.trim() === '') return { offset: text.length, reason: 'the text is empty; expected a JSON value' };
    let expect: 'value' | 'key' | 'after' = 'value';
    for (;;) {
      const blank = this.#skipBlank();
      if (blank !== undefined) return blank;
      const char = text[this.#pos];
      if (expect === 'value') {
        if (char === undefined) return this.#at('unexpected end of the text; expected a value');
        if ((char === ']' || char === '}') && this.#comma >= 0) return { offset: this.#comma, reason: `trailing comma before ${shown(char)}` };
        if (char === '{' || char === '[') {
          this.#stack.push(char === '{' ? 'object' : 'array');
          this.#pos++;
          this.#comma = -1;
          const inner = this.#skipBlank();
          if (inner !== undefined) return inner;
          const close = text[this.#pos];
          if (close === (char === '{' ? '}' : ']')) {
            this.#stack.pop();
            this.#pos++;
            expect = 'after';
          } else {
            expect = char === '{' ? 'key' : 'value';
          }
          continue;
        }
        const problem = this.#scalar();
        if (problem !== undefined) return problem;
        expect = 'after';
        continue;
      }
      if (expect === 'key') {
        if (char === undefined) return this.#at('unexpected end of the text; expected a property name');
        if (char === '}' && this.#comma >= 0) return { offset: this.#comma, reason: 'trailing comma before "}"' };
        if (char === "'") return this.#at('property names must be in double quotes, not single quotes');
        if (char !== '"') return this.#at(/[A-Za-z_$]/.test(char) ? 'property names must be in double quotes' : `expected a property name in double quotes, found ${shown(char)}`);
        const problem = this.#string();
        if (problem !== undefined) return problem;
        const gap = this.#skipBlank();
        if (gap !== undefined) return gap;
        const colon = text[this.#pos];
        if (colon !== ':') return this.#at(colon === undefined ? 'unexpected end of the text; expected ":" after the property name' : `expected ":" after the property name, found ${shown(colon)}`);
        this.#pos++;
        this.#comma = -1;
        expect = 'value';
        continue;
      }
      // After a value: the end of the text, or what its container allows next.
      const container = this.#stack[this.#stack.length - 1];
      if (container === undefined) {
        return char === undefined ? undefined : this.#at(`unexpected ${shown(char)} after the end of the JSON value`);
      }
      const close = container === 'object' ? '}' : ']';
      const what = container === 'object' ? 'a property value' : 'an array element';
      if (char === undefined) return this.#at(`unexpected end of the text; expected "," or "${close}"`);
      if (char === ',') {
        this.#comma = this.#pos;
        this.#pos++;
        expect = container === 'object' ? 'key' : 'value';
      } else if (char === close) {
        this.#stack.pop();
        this.#pos++;
      } else {
        return this.#at(`expected "," or "${close}" after ${what}, found ${shown(char)}`);
      }
    }
  }

  #at(reason: string): Problem {
    return { offset: this.#pos, reason };
  }

  /** Skips whitespace; comments are a problem (JSON has none). */
  #skipBlank(): Problem | undefined {
    const text = this.#text;
    while (this.#pos < text.length) {
      const char = text[this.#pos];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.#pos++;
      else if (char === '/' && (text[this.#pos + 1] === '/' || text[this.#pos + 1] === '*')) return this.#at('comments are not allowed in JSON');
      else return undefined;
    }
    return undefined;
  }

  /** A string, number or literal at the position. */
  #scalar(): Problem | undefined {
    const text = this.#text;
    const char = text[this.#pos] ?? '';
    if (char === '"') return this.#string();
    if (char === "'") return this.#at('strings must be in double quotes, not single quotes');
    if (char === '-' || (char >= '0' && char <= '9')) return this.#number();
    WORD.lastIndex = this.#pos;
    const word = WORD.exec(text)?.[0];
    if (word !== undefined) {
      if (word === 'true' || word === 'false' || word === 'null') {
        this.#pos += word.length;
        return undefined;
      }
      return this.#at(`unexpected word ${JSON.stringify(word)}; a JSON value is a string in double quotes, a number, true, false, null, an object or an array`);
    }
    return this.#at(`unexpected ${shown(char)}; expected a value`);
  }

  #string(): Problem | undefined {
    const text = this.#text;
    const start = this.#pos;
    this.#pos++;
    while (this.#pos < text.length) {
      const char = text[this.#pos] as string;
      if (char === '"') {
        this.#pos++;
        return undefined;
      }
      if (char === '\\') {
        const escaped = text[this.#pos + 1];
        if (escaped === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(this.#pos + 2, this.#pos + 6))) return this.#at('"\\u" must be followed by four hexadecimal digits');
          this.#pos += 6;
          continue;
        }
        if (escaped === undefined) break;
        if (!'"\\/bfnrt'.includes(escaped)) return this.#at(`invalid escape "\\${escaped}" in a string`);
        this.#pos += 2;
        continue;
      }
      if (char === '\n' || char === '\r') return this.#at('a string cannot span lines (write \\n for a line break)');
      if (char < ' ') return this.#at(`${shown(char)} in a string (write it as an escape)`);
      this.#pos++;
    }
    return { offset: start, reason: 'this string is never closed' };
  }

  #number(): Problem | undefined {
    const text = this.#text;
    NUMBER.lastIndex = this.#pos;
    const match = NUMBER.exec(text);
    if (match === null) return this.#at('invalid number');
    const end = this.#pos + match[0].length;
    const next = text[end];
    if (match[1] === '0' && next !== undefined && next >= '0' && next <= '9') return this.#at('numbers cannot start with 0');
    if (next === '.' || next === 'e' || next === 'E') return { offset: end, reason: 'invalid number' };
    this.#pos = end;
    return undefined;
  }
}
