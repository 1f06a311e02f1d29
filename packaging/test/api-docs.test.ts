import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../src/workspace.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'jobstore-api-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return files;
}

it('docs/api is the API reference TypeDoc makes from the TSDoc comments now, without a warning (pnpm api-docs remakes it)', async () => {
  // treatWarningsAsErrors is set: a public type left unexported or a broken {@link} fails here.
  await run(join(ROOT, 'node_modules', '.bin', 'typedoc'), ['--out', out], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const made = tree(out);
  const committed = tree(join(ROOT, 'docs', 'api'));
  expect([...committed.keys()].sort()).toEqual([...made.keys()].sort());
  for (const [file, text] of made) expect(committed.get(file), `docs/api/${file} is out of date: run pnpm api-docs`).toBe(text);
  expect(made.size).toBeGreaterThan(100);
}, 180_000);
