/**
 * The stores the hostile-input scenario attacks, each with a way to take a "footprint" of its
 * server: everything on it (tables and migration records, keys, znodes) as comparable strings,
 * so a property can prove that hostile input created or changed nothing outside the namespaces
 * it opened itself.
 */
import type { JobStore, StoredJob } from '@jobstore/core';
import { SCHEMA_VERSION } from '@jobstore/store-sql';
import { redisKeys } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Client } from 'node-zookeeper-client';
// The memory store is not a dependency of the harness; its source is reused as the other stores' test support is.
import { MemoryDatabase, MemoryJobStore } from '@jobstore/store-memory';
import { adminKysely } from '../../packages/store-sql/test/support/targets.js';
import { PREFIX as REDIS_PREFIX } from '../../packages/store-redis/test/support/targets.js';
import { connect as zkConnect, ROOT as ZK_ROOT } from '../../packages/store-zookeeper/test/support.js';
import { admin as etcdAdmin, PREFIX as ETCD_PREFIX } from '../../packages/store-etcd/test/support.js';
import { openStore } from '../src/open-store.js';
import type { Backend } from './backends.js';

export interface HostileTarget {
  readonly name: Backend['name'] | 'memory';
  readonly skip: string | undefined;
  /** A store on `namespace` (may throw or reject, for a namespace the store refuses). */
  open(namespace: string): Promise<JobStore>;
  /** The row as stored, past the store; only for namespaces a store has opened already. */
  read(namespace: string, id: string): Promise<StoredJob | null>;
  /** Everything on the server, as strings. */
  footprint(): Promise<Set<string>>;
  /** Whether a footprint entry belongs to a store on `namespace`. */
  owns(namespace: string, entry: string): boolean;
  drop(namespace: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Entries that appeared or disappeared between two footprints and belong to none of `namespaces`.
 * The servers are shared: an entry whose name carries the id of another live process (tests name
 * their namespaces and roots `…_<pid>_…`) is that process's, not something hostile input made.
 */
export function foreignChanges(target: HostileTarget, before: ReadonlySet<string>, after: ReadonlySet<string>, namespaces: readonly string[]): string[] {
  const changed = [...[...after].filter((entry) => !before.has(entry)).map((entry) => `+ ${entry}`), ...[...before].filter((entry) => !after.has(entry)).map((entry) => `- ${entry}`)];
  return changed.filter((change) => !namespaces.some((namespace) => target.owns(namespace, change.slice(2))) && !namesLiveProcess(change.slice(2)));
}

function namesLiveProcess(entry: string): boolean {
  return (entry.match(/\d{3,}/g) ?? []).some((digits) => {
    const pid = Number(digits);
    if (pid === process.pid || !Number.isSafeInteger(pid) || pid > 4_194_304) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  });
}

export function memoryTarget(): HostileTarget {
  // One database for every store, as stores share a server: isolation between namespaces is then something to check.
  const database = new MemoryDatabase();
  return {
    name: 'memory',
    skip: undefined,
    open: async (namespace) => new MemoryJobStore({ namespace, database }),
    read: async (namespace, id) => {
      const row = database.readRow(namespace, id);
      return row === null ? null : { ...row };
    },
    footprint: async () => new Set(database.namespaces().map((namespace) => `namespace:${namespace}`)),
    owns: (namespace, entry) => entry === `namespace:${namespace}`,
    drop: async () => undefined,
    close: async () => undefined,
  };
}

function urlOf(backend: Backend): string {
  const config = backend.config('probe');
  const url = config['url'] ?? config['connectionString'] ?? config['hosts'];
  if (typeof url !== 'string') throw new Error(`${backend.name}: no url in its store config`);
  return url;
}

/** What a target on a backend's shared server takes from the backend as it is. */
function onBackend(backend: Backend): Pick<HostileTarget, 'name' | 'skip' | 'open' | 'read' | 'drop'> {
  return {
    name: backend.name,
    skip: backend.skip,
    open: (namespace) => openStore(backend.config(namespace)),
    read: (namespace, id) => backend.raw.read(namespace, id),
    drop: (namespace) => backend.drop(namespace),
  };
}

async function sqlTarget(backend: Backend & { name: 'postgres' | 'mariadb' | 'sqlite' }): Promise<HostileTarget> {
  const url = urlOf(backend);
  const dialect = backend.name === 'postgres' ? 'postgres' : backend.name === 'mariadb' ? 'mysql' : 'sqlite';
  const admin = adminKysely(dialect, dialect === 'sqlite' ? url.replace(/^sqlite:/, '') : url);
  const schema =
    dialect === 'postgres'
      ? String((await sql<{ s: string }>`SELECT current_schema() AS s`.execute(admin)).rows[0]?.s)
      : dialect === 'mysql'
        ? String((await sql<{ s: string }>`SELECT DATABASE() AS s`.execute(admin)).rows[0]?.s)
        : 'main';
  const relations = async (): Promise<string[]> => {
    switch (dialect) {
      case 'postgres': {
        const { rows } = await sql<{ name: string }>`
          SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`.execute(admin);
        return rows.map((row) => row.name);
      }
      case 'mysql': {
        const { rows } = await sql<{ name: string }>`
          SELECT CONCAT(table_schema, '.', table_name) AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys')`.execute(admin);
        return rows.map((row) => row.name);
      }
      case 'sqlite': {
        const { rows } = await sql<{ name: string }>`SELECT type || ':' || name AS name FROM sqlite_master`.execute(admin);
        return rows.map((row) => row.name);
      }
    }
  };
  const migrations = async (): Promise<string[]> => {
    try {
      const { rows } = await sql<{ table_name: string; version: number | string }>`SELECT table_name, version FROM jobstore_migrations`.execute(admin);
      return rows.map((row) => `migration:${row.table_name}:${row.version}`);
    } catch {
      return []; // no store has run on this server yet
    }
  };
  // What a store on `namespace` creates: its table, the table's indexes, and its migration record.
  const own = (namespace: string): string[] => {
    switch (dialect) {
      case 'postgres':
        return [`${schema}.${namespace}:r`, `${schema}.${namespace}$pkey:i`, `${schema}.${namespace}$next_run:i`, `${schema}.${namespace}$lease:i`, `migration:${namespace}:${SCHEMA_VERSION}`];
      case 'mysql':
        return [`${schema}.${namespace}`, `migration:${namespace}:${SCHEMA_VERSION}`];
      case 'sqlite':
        return [`table:${namespace}`, `index:sqlite_autoindex_${namespace}_1`, `index:${namespace}$next_run`, `index:${namespace}$lease`, `migration:${namespace}:${SCHEMA_VERSION}`];
    }
  };
  return {
    ...onBackend(backend),
    footprint: async () => new Set([...(await relations()), ...(await migrations())]),
    owns: (namespace, entry) => own(namespace).includes(entry),
    close: () => admin.destroy(),
  };
}

async function redisTarget(backend: Backend): Promise<HostileTarget> {
  const admin = new Redis(urlOf(backend), { lazyConnect: true });
  await admin.connect();
  return {
    ...onBackend(backend),
    footprint: async () => {
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = await admin.scan(cursor, 'COUNT', 1000);
        for (const key of batch) keys.add(`key:${key}`);
        cursor = next;
      } while (cursor !== '0');
      return keys;
    },
    owns: (namespace, entry) => {
      const keys = redisKeys(REDIS_PREFIX, namespace);
      // The marker (written at open, see the store's emptied-store check) is the namespace's too.
      return [...keys.all, keys.marker].some((key) => entry === `key:${key}`);
    },
    close: async () => {
      admin.disconnect();
    },
  };
}

function children(client: Client, path: string): Promise<string[]> {
  return new Promise((resolve) => client.getChildren(path, (error, names) => resolve(error ? [] : names)));
}

async function zookeeperTarget(backend: Backend): Promise<HostileTarget> {
  const admin = await zkConnect(urlOf(backend));
  return {
    ...onBackend(backend),
    // The top level, ZooKeeper's own /zookeeper, the stores' root, and one level under each store's node.
    footprint: async () => {
      const entries = new Set<string>();
      for (const name of await children(admin, '/')) entries.add(`/${name}`);
      for (const name of await children(admin, '/zookeeper')) entries.add(`/zookeeper/${name}`);
      for (const namespace of await children(admin, ZK_ROOT)) {
        entries.add(`${ZK_ROOT}/${namespace}`);
        for (const name of await children(admin, `${ZK_ROOT}/${namespace}`)) entries.add(`${ZK_ROOT}/${namespace}/${name}`);
      }
      return entries;
    },
    owns: (namespace, entry) => entry === `${ZK_ROOT}/${namespace}` || entry.startsWith(`${ZK_ROOT}/${namespace}/`),
    close: async () => {
      admin.close();
    },
  };
}

async function etcdTarget(backend: Backend): Promise<HostileTarget> {
  const admin = etcdAdmin(urlOf(backend));
  return {
    ...onBackend(backend),
    // Every key on the server, past the stores' prefix: each namespace's keys, named by their first part.
    footprint: async () => {
      const keys = await admin.getAll().keys();
      return new Set(keys.map((key) => (key.startsWith(`${ETCD_PREFIX}/`) ? `key:${key.split('/').slice(0, 3).join('/')}` : `key:${key}`)));
    },
    owns: (namespace, entry) => entry === `key:${ETCD_PREFIX}/${namespace}/jobs` || entry.startsWith(`key:${ETCD_PREFIX}/${namespace}/`),
    close: async () => {
      admin.close();
    },
  };
}

/** A target per backend; a skipped backend gets a target that is never used. */
export async function hostileTargets(backends: readonly Backend[]): Promise<HostileTarget[]> {
  const targets: HostileTarget[] = [memoryTarget()];
  for (const backend of backends) {
    if (backend.skip !== undefined) {
      targets.push({ ...memoryTarget(), name: backend.name, skip: backend.skip });
      continue;
    }
    switch (backend.name) {
      case 'postgres':
      case 'mariadb':
      case 'sqlite':
        targets.push(await sqlTarget(backend as Backend & { name: 'postgres' | 'mariadb' | 'sqlite' }));
        break;
      case 'redis':
        targets.push(await redisTarget(backend));
        break;
      case 'zookeeper':
        targets.push(await zookeeperTarget(backend));
        break;
      case 'etcd':
        targets.push(await etcdTarget(backend));
        break;
    }
  }
  return targets;
}
