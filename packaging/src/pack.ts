import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PublicPackage } from './workspace.js';

const run = promisify(execFile);

/**
 * `pnpm pack` of each package into `destination`, as `pnpm publish` would pack it: `workspace:`
 * ranges become real ones. Returns each package's tarball path by name.
 */
export async function packAll(packages: readonly PublicPackage[], destination: string): Promise<Map<string, string>> {
  const tarballs = new Map<string, string>();
  for (const pkg of packages) {
    const before = new Set(readdirSync(destination));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir, maxBuffer: 16 * 1024 * 1024 });
    const added = readdirSync(destination).filter((file) => !before.has(file) && file.endsWith('.tgz'));
    if (added.length !== 1) throw new Error(`pnpm pack in ${pkg.dir} wrote ${added.length} tarballs, expected one`);
    tarballs.set(pkg.name, join(destination, added[0]!));
  }
  return tarballs;
}
