import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A package that would be published: not private. */
export interface PublicPackage {
  readonly name: string;
  readonly version: string;
  /** Its folder, absolute. */
  readonly dir: string;
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
}

/** Every public package of the workspace (the folders pnpm-workspace.yaml names). */
export function publicPackages(): PublicPackage[] {
  const dirs = [...readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name)), join(ROOT, 'conformance-tests')];
  const found: PublicPackage[] = [];
  for (const dir of dirs) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.private !== true) found.push({ name: manifest.name, version: manifest.version, dir });
  }
  return found;
}

/** A dev dependency's range in the root package.json, so the fresh projects use the same tools. */
export function rootDevRange(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const range = manifest.devDependencies[name];
  if (range === undefined) throw new Error(`the root package.json has no dev dependency ${name}`);
  return range;
}
