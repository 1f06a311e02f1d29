import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidArgumentError, type JobStore } from '@jobstore/core';
import { resolvePackage } from './import-resolve.js';

/** The stores of this project, each the package `@jobstore/store-<type>`. */
export const STORE_TYPES = ['memory', 'sql', 'redis', 'zookeeper', 'mongo', 'etcd'] as const;

export type StoreType = (typeof STORE_TYPES)[number];

/**
 * A bundled store described by plain data, as Flask-APScheduler's SCHEDULER_JOBSTORES:
 * `{ type: 'sql', url: 'sqlite:jobs.db' }`, `{ type: 'memory' }`. `type` names the package
 * `@jobstore/store-<type>` (one of {@link STORE_TYPES}), whose `createStore(options)` receives
 * the other fields.
 */
export interface TypedStoreConfig {
  readonly type: string;
  readonly module?: undefined;
  readonly [option: string]: unknown;
}

/**
 * A store from any package or file: `{ module: 'my-store', url: '…' }` or `{ module:
 * './stores/custom.mjs' }`. The module must export `createStore(options)`, which receives the
 * other fields. A package is found in the application's node_modules (the scheduler's
 * `baseDir`), a relative path is relative to `baseDir`.
 */
export interface ModuleStoreConfig {
  readonly module: string;
  readonly type?: undefined;
  readonly [option: string]: unknown;
}

/** A job store described by plain data: a bundled store by `type`, or any store by `module`. */
export type JobStoreConfig = TypedStoreConfig | ModuleStoreConfig;

interface StoreModule {
  readonly createStore?: (options: Record<string, unknown>) => JobStore | Promise<JobStore>;
}

/** Backends people name as a type that are a URL of another one. */
const TYPE_HINTS: Readonly<Record<string, string>> = {
  postgres: "PostgreSQL is type 'sql' with a postgres:// url",
  postgresql: "PostgreSQL is type 'sql' with a postgres:// url",
  pg: "PostgreSQL is type 'sql' with a postgres:// url",
  mysql: "MySQL is type 'sql' with a mysql:// url",
  mariadb: "MariaDB is type 'sql' with a mysql:// url",
  sqlite: "SQLite is type 'sql' with a sqlite: url",
  mongodb: "MongoDB is type 'mongo'",
};

const isStoreType = (type: string): type is StoreType => (STORE_TYPES as readonly string[]).includes(type);

/** A file path rather than a package name: relative, absolute, or a file: URL. */
const isPath = (specifier: string): boolean => specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');

const filePath = (baseDir: string, specifier: string): string => (specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(baseDir, specifier));

/**
 * The store module's file: a path as it is (relative to `baseDir`); a package from the
 * application's node_modules (`baseDir`), not the scheduler's; a bundled store not found there,
 * from where the scheduler itself is installed, as before store configs were the application's.
 */
function locate(specifier: string, baseDir: string, bundled: boolean): string | null {
  if (isPath(specifier)) {
    const file = filePath(baseDir, specifier);
    return existsSync(file) ? file : null;
  }
  return resolvePackage(baseDir, specifier) ?? (bundled ? resolvePackage(dirname(fileURLToPath(import.meta.url)), specifier) : null);
}

async function importStore(where: string, specifier: string, baseDir: string, bundled: boolean): Promise<StoreModule> {
  let file: string | null;
  try {
    file = locate(specifier, baseDir, bundled);
  } catch (error) {
    // A package.json that does not parse, a folder that cannot be read.
    throw new InvalidArgumentError(`${where}: cannot load ${specifier}: ${(error as Error).message}`);
  }
  if (file === null && isPath(specifier)) throw new InvalidArgumentError(`${where}: cannot load ${specifier}: no file ${filePath(baseDir, specifier)} (a relative path is relative to ${baseDir})`);
  if (file === null) throw new InvalidArgumentError(`${where}: ${specifier} is not installed in ${baseDir} (npm install ${specifier})`);
  try {
    return (await import(pathToFileURL(file).href)) as StoreModule;
  } catch (error) {
    // Installed, but it cannot load: most often its driver is missing.
    throw new InvalidArgumentError(`${where}: cannot load ${specifier} (${file}): ${(error as Error).message}`);
  }
}

/**
 * Opens a store from its description, importing its module only now: `{ type }` loads
 * `@jobstore/store-<type>`, `{ module }` any package or file that exports `createStore(options)`.
 * Both are resolved from `baseDir`, the application's folder; a bundled store is also found where
 * the scheduler itself is installed. InvalidArgumentError for an unknown type, a module that is
 * not installed (saying what to install) or one without createStore.
 */
export async function storeFromConfig(alias: string, config: JobStoreConfig, baseDir: string = process.cwd()): Promise<JobStore> {
  const where = `jobstore ${JSON.stringify(alias)}`;
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(`${where}: must be a store, or a description like { type: 'memory' } or { module: 'name' }`);
  const { type, module, ...options } = config;
  let specifier: string;
  if (module !== undefined) {
    if (type !== undefined) throw new InvalidArgumentError(`${where}: give type (a bundled store) or module (any other), not both`);
    if (typeof module !== 'string' || module === '') throw new InvalidArgumentError(`${where}: module must name a package or a file, got ${JSON.stringify(module)}`);
    specifier = module;
  } else {
    if (typeof type !== 'string' || !isStoreType(type)) {
      const hint = typeof type === 'string' ? TYPE_HINTS[type.toLowerCase()] : undefined;
      throw new InvalidArgumentError(
        `${where}: no store type ${JSON.stringify(type)}: the types are ${STORE_TYPES.join(', ')}${hint === undefined ? '' : ` (${hint})`}; a store from another package: { module: 'name' }`,
      );
    }
    specifier = `@jobstore/store-${type}`;
  }
  const loaded = await importStore(where, specifier, baseDir, module === undefined);
  if (typeof loaded.createStore !== 'function') throw new InvalidArgumentError(`${where}: ${specifier} has no createStore(options) export`);
  return loaded.createStore(options);
}
