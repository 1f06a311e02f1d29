import { execFileSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import type { FreshProject } from './project.js';
import { ROOT } from './workspace.js';

/** What makes the workspace's `pnpm install` build native addons with nothing set by hand. */
const INSTALL_FILES = ['.pnpmfile.cjs', 'scripts/native/node-headers.cjs', 'scripts/native/node-gyp.cjs'];

/** better-sqlite3 as the workspace installed it: its version and its compiled addon. */
export function workspaceBetterSqlite3(): { version: string; addon: string } {
  const manifest = createRequire(join(ROOT, 'packages', 'store-sql', 'package.json')).resolve('better-sqlite3/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { version, addon: join(dirname(manifest), 'build', 'Release', 'better_sqlite3.node') };
}

/**
 * Makes `project` a pnpm project that depends on better-sqlite3 (and nothing else), with the
 * workspace's install hooks copied in as they stand.
 */
export function pnpmNativeProject(project: FreshProject, version: string): void {
  project.write('package.json', JSON.stringify({ name: 'native-install', version: '1.0.0', private: true, dependencies: { 'better-sqlite3': version } }, null, 2));
  project.write('pnpm-workspace.yaml', 'allowBuilds:\n  better-sqlite3: true\n');
  for (const file of INSTALL_FILES) {
    mkdirSync(dirname(join(project.dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(project.dir, file));
  }
}

/**
 * A folder `bin/` holding this very Node under another prefix, which has no `include/node`: first
 * on PATH, it is a Node installed without its headers.
 */
export function headerlessNode(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  try {
    linkSync(process.execPath, join(bin, 'node'));
  } catch {
    copyFileSync(process.execPath, join(bin, 'node'));
  }
  return bin;
}

/** A binary host as prebuild-install downloads from (a GitHub release), serving one prebuilt addon. */
export interface PrebuiltMirror {
  readonly url: string;
  /** The paths requested so far. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves `addon` as better-sqlite3 `version`'s prebuilt binary for this Node, platform and arch. */
export async function startPrebuiltMirror(addon: string, version: string, workDir: string): Promise<PrebuiltMirror> {
  const stage = join(workDir, 'prebuilt');
  mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
  copyFileSync(addon, join(stage, 'build', 'Release', basename(addon)));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(workDir, name), '-C', stage, 'build']);
  const tarball = readFileSync(join(workDir, name));
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    if (path === `/v${version}/${name}`) response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': tarball.length }).end(tarball);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
