import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '@jobstore/core';
import { Scheduler, STORE_TYPES, type JobStoreConfig } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';

// Store configs are resolved from the application's folder (baseDir), as a user's node_modules holds them.
const live: Scheduler[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.allSettled(live.splice(0).map((scheduler) => scheduler.shutdown({ wait: false })));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** store-memory's entry, as this workspace installed it: the third-party stores below re-export its createStore. */
const MEMORY = pathToFileURL(createRequire(import.meta.url).resolve('@jobstore/store-memory')).href;

/** A store module that re-exports store-memory's createStore and records the options it was given under `mark`. */
const storeSource = (mark: string): string =>
  `import { createStore as memory } from ${JSON.stringify(MEMORY)};\nexport function createStore(options) {\n  (globalThis.storesMade ??= []).push({ mark: ${JSON.stringify(mark)}, options });\n  return memory();\n}\n`;

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** An application folder, with packages in its node_modules: name → the module's source. */
function app(packages: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-app-'));
  dirs.push(dir);
  for (const [name, source] of Object.entries(packages)) {
    write(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': './index.js' } }));
    write(join(dir, 'node_modules', name, 'index.js'), source);
  }
  return dir;
}

const made = (): { mark: string; options: unknown }[] => ((globalThis as { storesMade?: { mark: string; options: unknown }[] }).storesMade ??= []);

async function opened(baseDir: string, config: JobStoreConfig): Promise<Scheduler> {
  const scheduler = new Scheduler({ baseDir, timezone: 'UTC', jobstores: { default: config } });
  live.push(scheduler);
  scheduler.registerTask('t', () => undefined);
  await scheduler.start({ paused: true });
  await scheduler.addJob({ id: 'a', func: 't', trigger: 'interval', minutes: 1 });
  return scheduler;
}

async function refusal(baseDir: string, config: JobStoreConfig): Promise<string> {
  const scheduler = new Scheduler({ baseDir, jobstores: { default: config } });
  live.push(scheduler);
  const error = await scheduler.start().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  return (error as Error).message;
}

describe('a store config', () => {
  it('{ module } opens a third-party package from the application node_modules, with the other fields as its options', async () => {
    const dir = app({ 'acme-jobstore': storeSource('acme') });
    const scheduler = await opened(dir, { module: 'acme-jobstore', url: 'acme://jobs', poolSize: 3 });
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['a']);
    expect(made().at(-1)).toEqual({ mark: 'acme', options: { url: 'acme://jobs', poolSize: 3 } });
  });

  it('{ module } opens a package that exports only for import (no require condition), and its subpaths', async () => {
    const dir = app();
    const pkg = join(dir, 'node_modules', '@acme', 'esm-only');
    write(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@acme/esm-only',
        type: 'module',
        exports: { '.': { types: './index.d.ts', import: { node: './esm.js' }, require: './none.cjs' }, './pg': [{ import: './pg.js' }, './fallback.js'] },
      }),
    );
    write(join(pkg, 'esm.js'), storeSource('esm-only'));
    write(join(pkg, 'pg.js'), storeSource('esm-only/pg'));
    // Found from a folder below the application's, as Node looks up node_modules.
    const below = join(dir, 'services', 'worker');
    mkdirSync(below, { recursive: true });
    await opened(below, { module: '@acme/esm-only' });
    expect(made().at(-1)?.mark).toBe('esm-only');
    await opened(dir, { module: '@acme/esm-only/pg' });
    expect(made().at(-1)?.mark).toBe('esm-only/pg');
    expect(await refusal(dir, { module: '@acme/esm-only/other' })).toBe(`jobstore "default": @acme/esm-only/other is not installed in ${dir} (npm install @acme/esm-only/other)`);
    write(join(dir, 'node_modules', 'garbled', 'package.json'), '{ "name": ');
    expect(await refusal(dir, { module: 'garbled' })).toMatch(/^jobstore "default": cannot load garbled: .*JSON/);
  });

  it('{ module } opens a scoped package and a file path, relative to baseDir, or absolute', async () => {
    const dir = app({ '@acme/jobstore': storeSource('scoped') });
    write(join(dir, 'stores', 'local.mjs'), storeSource('file'));
    await opened(dir, { module: '@acme/jobstore' });
    expect(made().at(-1)?.mark).toBe('scoped');
    await opened(dir, { module: './stores/local.mjs', table: 'jobs' });
    expect(made().at(-1)).toEqual({ mark: 'file', options: { table: 'jobs' } });
    await opened(app(), { module: join(dir, 'stores', 'local.mjs') });
    expect(made().at(-1)?.mark).toBe('file');
  });

  it('{ type } prefers the application copy of @jobstore/store-<type>, and falls back to the one beside the scheduler', async () => {
    const dir = app({ '@jobstore/store-memory': storeSource('application copy') });
    await opened(dir, { type: 'memory', database: undefined });
    expect(made().at(-1)?.mark).toBe('application copy');
    const before = made().length;
    const scheduler = await opened(app(), { type: 'memory' });
    expect(made().length).toBe(before);
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['a']);
  });

  it('an unknown type names the real types and how to use a store from another package', async () => {
    expect(STORE_TYPES).toEqual(['memory', 'sql', 'redis', 'zookeeper', 'mongo', 'etcd']);
    expect(await refusal(app(), { type: 'postgres' })).toBe(
      `jobstore "default": no store type "postgres": the types are memory, sql, redis, zookeeper, mongo, etcd (PostgreSQL is type 'sql' with a postgres:// url); a store from another package: { module: 'name' }`,
    );
    expect(await refusal(app(), { type: 'cassandra' })).toBe(
      `jobstore "default": no store type "cassandra": the types are memory, sql, redis, zookeeper, mongo, etcd; a store from another package: { module: 'name' }`,
    );
    expect(await refusal(app(), { type: '' })).toMatch(/^jobstore "default": no store type "": the types are/);
    expect(await refusal(app(), { type: 'memory', module: 'x' } as unknown as JobStoreConfig)).toBe('jobstore "default": give type (a bundled store) or module (any other), not both');
  });

  it('a bundled store that is not installed says what to install', () => {
    // In a process of its own: pnpm's NODE_PATH, which the test runner inherits, would find every workspace package.
    const dir = app();
    const scheduler = pathToFileURL(createRequire(import.meta.url).resolve('@jobstore/scheduler')).href;
    const program = `import { Scheduler } from ${JSON.stringify(scheduler)};\nconst scheduler = new Scheduler({ baseDir: ${JSON.stringify(dir)}, jobstores: { default: { type: 'mongo', url: 'mongodb://localhost' } } });\nawait scheduler.start().catch((error) => console.log(error.name, error.message));\n`;
    const { NODE_PATH: _path, ...env } = process.env;
    const printed = execFileSync(process.execPath, ['--input-type=module', '--eval', program], { cwd: dir, env, encoding: 'utf8' });
    expect(printed.trim()).toBe(`InvalidArgumentError jobstore "default": @jobstore/store-mongo is not installed in ${dir} (npm install @jobstore/store-mongo)`);
  });

  it('a module that is not there, or has no createStore, is refused saying so', async () => {
    const dir = app({ 'not-a-store': 'export const hello = 1;\n' });
    expect(await refusal(dir, { module: 'acme-missing' })).toBe(`jobstore "default": acme-missing is not installed in ${dir} (npm install acme-missing)`);
    expect(await refusal(dir, { module: './nowhere.mjs' })).toBe(`jobstore "default": cannot load ./nowhere.mjs: no file ${join(dir, 'nowhere.mjs')} (a relative path is relative to ${dir})`);
    expect(await refusal(dir, { module: 'not-a-store' })).toBe('jobstore "default": not-a-store has no createStore(options) export');
    expect(await refusal(dir, { module: '' })).toBe('jobstore "default": module must name a package or a file, got ""');
  });

  it('a store module whose import fails is reported with its error', async () => {
    const dir = app({ 'broken-store': "import 'driver-that-is-missing';\nexport function createStore() {}\n" });
    expect(await refusal(dir, { module: 'broken-store' })).toMatch(/^jobstore "default": cannot load broken-store \(.+broken-store.index\.js\): .*driver-that-is-missing/);
  });
});
