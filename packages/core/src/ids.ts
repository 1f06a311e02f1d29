import { InvalidArgumentError, quoteId } from './errors.js';
import { MAX_ID_LENGTH } from './job.js';
import { isPortableString } from './codec.js';

/**
 * Orders ids by Unicode code point, which is UTF-8 byte order: what PostgreSQL's "C" collation,
 * MySQL's binary collations and Redis sorted sets use. Plain `<` compares UTF-16 code units,
 * which puts U+FF5E after U+1F600 and would disagree with every database.
 */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort above U+E000..U+FFFF in code point order.
      if (x >= 0xd800 && y >= 0xd800) return surrogateRank(x) - surrogateRank(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function surrogateRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Throws InvalidArgumentError unless `id` is a job id every backend can keep exactly. */
export function assertJobId(id: unknown, operation: string, store?: string): asserts id is string {
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`${operation}: job id ${why}`, store === undefined ? {} : { store });
  };
  if (typeof id !== 'string') fail(`must be a string, got ${id === null ? 'null' : typeof id}`);
  const text = id as string;
  if (text.length === 0) fail('must not be empty');
  if (!isPortableString(text)) fail(`${quoteId(text)} contains a NUL character or a lone surrogate, which databases cannot store`);
  if (text.length > MAX_ID_LENGTH && countCodePoints(text) > MAX_ID_LENGTH) {
    fail(`is longer than ${MAX_ID_LENGTH} code points`);
  }
}

function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}
