import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/writing-a-backend.md', import.meta.url), 'utf8');
const file = (name: string): string => readFileSync(new URL(`./example-backend/${name}`, import.meta.url), 'utf8').trim();

/** The fenced blocks of one language, in order. */
function blocks(language: string): string[] {
  return [...doc.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``, 'g'))].map((match) => match[1] ?? '');
}

describe('docs/writing-a-backend.md', () => {
  it('shows the example backend verbatim: every TypeScript block is a file the tests compile and run', () => {
    expect(blocks('ts')).toStrictEqual([file('map-driver.ts'), file('create-store.ts'), file('conformance.test.ts')]);
  });

  it('has a package.json skeleton that parses, with core as a peer dependency', () => {
    const [json] = blocks('json');
    const pkg = JSON.parse(json ?? '') as { type?: string; peerDependencies?: Record<string, string> };
    expect(pkg.type).toBe('module');
    expect(pkg.peerDependencies?.['@jobstore/core']).toMatch(/^\^1\./);
  });
});
