import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const example = readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8');

describe('the README example', () => {
  it('is shown verbatim in the root README and the package README', () => {
    for (const readme of ['../../../README.md', '../README.md']) {
      expect(readFileSync(new URL(readme, import.meta.url), 'utf8')).toContain(example.trim());
    }
  });

  it('runs and prints what its comments say', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Date ? a.toISOString() : String(a))).join(' '));
    });
    try {
      await import('../examples/quick-start.js');
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      log.mockRestore();
    }
    expect(lines).toStrictEqual(['event: added', 'report:daily scheduler-1', 'event: released', 'true', '2030-01-02T09:00:00.000Z']);
  });
});
