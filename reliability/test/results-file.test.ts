import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { handWrittenSections, writeResults } from '../src/results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'jobstore-results-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('RESULTS.md', () => {
  it('is rewritten from results/ without losing its hand-written sections', () => {
    cpSync(join(ROOT, 'results'), join(copy, 'results'), { recursive: true });
    cpSync(join(ROOT, 'RESULTS.md'), join(copy, 'RESULTS.md'));
    const before = handWrittenSections(readFileSync(join(copy, 'RESULTS.md'), 'utf8'));
    expect(before.map((section) => section.split('\n')[0])).toEqual(['## The service under attack', '## Notes']);
    writeResults(copy);
    const after = readFileSync(join(copy, 'RESULTS.md'), 'utf8');
    expect(handWrittenSections(after)).toStrictEqual(before);
    // The tables come first, then what was written by hand.
    expect(after.indexOf('## CI mode')).toBeGreaterThan(0);
    expect(after.indexOf('## CI mode')).toBeLessThan(after.indexOf('## The service under attack'));
  });

  it('splits only at level-two headings', () => {
    const text = '# Title\n\nintro\n\n## Long mode\n\ntable\n\n## Mine\n\n### sub\n\ntext\n\n## CI mode\n\nrows\n';
    expect(handWrittenSections(text)).toStrictEqual(['## Mine\n\n### sub\n\ntext']);
  });
});
