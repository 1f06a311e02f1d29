import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import type { LocalRegistry } from './registry.js';
import { ROOT } from './workspace.js';

/** What a command printed; it is thrown, with both streams, when the command fails. */
export interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a user's shell would have: nothing that points back into this workspace.
 * pnpm puts the workspace's node_modules/.bin on PATH and its own npm_config_* settings in the
 * environment when it runs `pnpm test`; npm would follow either. None is passed on, not even an
 * exported npm_config_nodedir: npm reads the machine's own settings (its npmrc files) by itself.
 */
export function userEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|node_options$|node_path$|node_env$|init_cwd$|ts_node)/i.test(key)) continue;
    env[key] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((entry) => entry !== ROOT && !entry.startsWith(ROOT + sep))
    .join(delimiter);
  return { ...env, ...extra };
}

/** A new npm project in the system's temporary folder, far from the workspace's node_modules. */
export class FreshProject {
  readonly dir: string;

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `jobstore-packaging-${name}-`));
    if (this.dir.startsWith(ROOT + sep)) throw new Error('a fresh project must live outside the workspace');
    // Node looks for packages in every ancestor's node_modules: there must be none to find.
    for (let up = dirname(this.dir); ; up = dirname(up)) {
      if (existsSync(join(up, 'node_modules'))) throw new Error(`${join(up, 'node_modules')} exists: a fresh project under ${up} would resolve packages from it`);
      if (up === dirname(up)) break;
    }
    this.write('package.json', JSON.stringify({ name: `packaging-${name}`, version: '1.0.0', private: true, type: 'module' }, null, 2));
  }

  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  copy(from: string, file: string): void {
    copyFileSync(from, join(this.dir, file));
  }

  /** The @jobstore packages npm installed, by name. */
  installedScope(scope: string): string[] {
    const dir = join(this.dir, 'node_modules', scope);
    return existsSync(dir) ? readdirSync(dir).map((name) => `${scope}/${name}`) : [];
  }

  /** The version of `name` npm installed at the project's top level, if it did. */
  installedVersion(name: string): string | undefined {
    const manifest = join(this.dir, 'node_modules', name, 'package.json');
    return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
  }

  /** `npm <args>`, with the scope's packages from the local registry and everything else from npm's. */
  npm(args: readonly string[], registry: LocalRegistry, env: Readonly<Record<string, string>> = {}): Promise<Output> {
    return this.exec('npm', [...args, `--${registry.scope}:registry=${registry.url}`, '--no-audit', '--no-fund', '--no-update-notifier'], env);
  }

  /** Where the project's own binary `name` is (node_modules/.bin), never one from the workspace. */
  binPath(name: string): string {
    return join(this.dir, 'node_modules', '.bin', name);
  }

  bin(name: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Output> {
    return this.exec(this.binPath(name), args, env);
  }

  node(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Output> {
    return this.exec(process.execPath, args, env);
  }

  /** Starts a long-running command; the caller stops it. */
  spawn(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
    return spawn(command, args, { cwd: this.dir, env: userEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  }

  exec(command: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<Output> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { cwd: this.dir, env: userEnv(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error === null) resolve({ stdout, stderr });
        else reject(new Error(`${[command, ...args].join(' ')} failed in ${this.dir} (${error.code ?? error.signal ?? error.message}):\n${stdout}\n${stderr}`.trim()));
      });
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
