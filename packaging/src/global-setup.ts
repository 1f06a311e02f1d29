// Packs every package once for the whole packaging project: the install test and the manifest
// test read the same tarballs, as a registry would serve them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll } from './pack.js';
import { publicPackages } from './workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Each public package's tarball path, by name. */
    tarballs: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-tarballs-'));
  project.provide('tarballs', Object.fromEntries(await packAll(publicPackages(), dir)));
  return () => rmSync(dir, { recursive: true, force: true });
}
