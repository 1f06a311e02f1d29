// The README's `pnpm install` on a machine that can download nothing: pnpm 11 and later pass no
// npm settings (`nodedir`) to build scripts, so the workspace's .pnpmfile.cjs hands node-gyp the
// running Node's own headers. Each case installs better-sqlite3 with those hooks, as they stand,
// in a fresh pnpm project outside the workspace, with the build cache off so it really builds.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { freePort } from '@jobstore/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { headerlessNode, pnpmNativeProject, startPrebuiltMirror, workspaceBetterSqlite3 } from '../src/native-install.js';
import { FreshProject, type Output } from '../src/project.js';
import { ROOT } from '../src/workspace.js';

const { findNodeDir } = createRequire(import.meta.url)(join(ROOT, 'scripts', 'native', 'node-headers.cjs')) as { findNodeDir(): string | undefined };
const nodedir = findNodeDir();
if (nodedir === undefined) console.warn(`[jobstore] this Node (${process.execPath}) has no headers beside it: the build-from-headers case is skipped`);

const sqlite = workspaceBetterSqlite3();
const projects: FreshProject[] = [];
afterAll(() => {
  for (const project of projects) project.remove();
});

function project(name: string): FreshProject {
  const made = new FreshProject(name);
  projects.push(made);
  pnpmNativeProject(made, sqlite.version);
  return made;
}

/** `pnpm install` with the side-effects cache off: a build restored from the store would prove nothing. */
function install(where: FreshProject, env: Record<string, string>): Promise<Output> {
  return where.exec('pnpm', ['install', '--config.side-effects-cache=false', '--reporter=append-only'], env);
}

/** better-sqlite3 loads and answers a query in the project, with the given Node. */
async function query(where: FreshProject, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await where.exec('node', ['-e', "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 40 + 2 as x').get().x)"], env);
  return stdout.trim();
}

const built = (where: FreshProject): string => join(where.dir, 'node_modules', 'better-sqlite3', 'build', 'config.gypi');

describe('pnpm install of a native dependency with nothing set by hand', () => {
  it.skipIf(nodedir === undefined)("compiles against the running Node's own headers when no prebuilt binary is used", async () => {
    const where = project('headers');
    // As where no prebuilt binary can be had: prebuild-install steps aside and node-gyp compiles.
    await install(where, { npm_config_build_from_source: 'true' });
    expect(readFileSync(built(where), 'utf8')).toContain(`"nodedir": "${nodedir}"`);
    expect(await query(where)).toBe('42');
  });

  it('uses a downloadable prebuilt binary as before, needing neither headers nor a compiler', async () => {
    const where = project('prebuilt');
    const mirror = await startPrebuiltMirror(sqlite.addon, sqlite.version, where.dir);
    try {
      const bin = headerlessNode(join(where.dir, 'node-without-headers'));
      const env = {
        PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
        // prebuild-install's mirror setting, exported as a user would: the hooks must pass it on.
        npm_config_better_sqlite3_binary_host: mirror.url,
        npm_config_cache: join(where.dir, 'npm-cache'),
      };
      await install(where, env);
      expect(mirror.requests).toStrictEqual([`/v${sqlite.version}/better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`]);
      expect(existsSync(built(where))).toBe(false);
      expect(await query(where, { PATH: env.PATH })).toBe('42');
    } finally {
      await mirror.close();
    }
  });

  it('with neither headers nor downloads, fails with one line that says what to install', async () => {
    const where = project('neither');
    const bin = headerlessNode(join(where.dir, 'node-without-headers'));
    const nothing = `http://127.0.0.1:${await freePort()}`;
    const env = {
      PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
      // Downloads that go nowhere: the prebuilt binary, then node-gyp's headers.
      npm_config_better_sqlite3_binary_host: nothing,
      npm_config_disturl: nothing,
      npm_config_cache: join(where.dir, 'npm-cache'),
    };
    const failure = await install(where, env).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(failure).toBeDefined();
    const lines = failure!.split('\n').filter((line) => line.includes('jobstore: better-sqlite3 could not be installed'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`compiling it needs what this machine lacks: Node's headers for ${process.version} (not in ${join(where.dir, 'node-without-headers', 'include', 'node')})`);
    expect(lines[0]).toMatch(/apt install python3 make g\+\+ libnode-dev/);
  });
});
