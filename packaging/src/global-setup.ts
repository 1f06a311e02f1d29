// Packs every package once for the whole packaging project: the install test and the manifest
// test read the same tarballs, as a registry would serve them. It also settles each driver's
// newest version to run (see newestToRun).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DRIVER_NAMES, newestToRun } from './drivers.js';
import { packAll } from './pack.js';
import { publicPackages } from './workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Each public package's tarball path, by name. */
    tarballs: Record<string, string>;
    /** Each driver's newest version to run, by name. */
    newestDrivers: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-tarballs-'));
  const [tarballs, newest] = await Promise.all([packAll(publicPackages(), dir), Promise.all(DRIVER_NAMES.map(async (name) => [name, await newestToRun(name)] as const))]);
  project.provide('tarballs', Object.fromEntries(tarballs));
  project.provide('newestDrivers', Object.fromEntries(newest));
  return () => rmSync(dir, { recursive: true, force: true });
}
