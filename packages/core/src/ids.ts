import { quoteShort } from './describe.js';
import { InvalidArgumentError } from './errors.js';
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

/**
 * Why `text` cannot be kept exactly by every backend (a NUL, refused by PostgreSQL; a lone
 * surrogate, which several drivers turn into U+FFFD), or null when it can. The rule job ids,
 * lease owners and listing cursors share.
 */
export function portabilityProblem(text: string): string | null {
  return isPortableString(text) ? null : `${quoteShort(text)} contains a NUL character or a lone surrogate, which databases cannot store`;
}

/** What is wrong with `id` as a job id, or null when every backend can keep it exactly. */
export function jobIdProblem(id: unknown): string | null {
  if (typeof id !== 'string') return `must be a string, got ${id === null ? 'null' : typeof id}`;
  if (id.length === 0) return 'must not be empty';
  const unportable = portabilityProblem(id);
  if (unportable !== null) return unportable;
  if (id.length > MAX_ID_LENGTH && countCodePoints(id) > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} code points`;
  return null;
}

/** Throws InvalidArgumentError unless `id` is a job id every backend can keep exactly. */
export function assertJobId(id: unknown, operation: string, store?: string): asserts id is string {
  const problem = jobIdProblem(id);
  if (problem !== null) throw new InvalidArgumentError(`${operation}: job id ${problem}`, store === undefined ? {} : { store });
}

function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}
