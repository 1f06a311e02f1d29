import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgCluster, RedisServer, resolveService, SERVICES, startEtcd, startMariaDb, startZooKeeper, type OwnServer, type RawAccess } from '@jobstore/conformance';
import { Redis } from 'ioredis';
import type { Client } from 'node-zookeeper-client';
import type { StoreConfig } from '../src/open-store.js';
// Each store's own tests already know how to read and write its rows past the store: reuse them.
import { adminKysely, dropNamespace, rawAccess as sqlRaw } from '../../packages/store-sql/test/support/targets.js';
import { dropper, PREFIX, rawAccess as redisRaw } from '../../packages/store-redis/test/support/targets.js';
import { connect as zkConnect, connectionString, rawAccess as zkRaw, removeTree, ROOT } from '../../packages/store-zookeeper/test/support.js';
import { admin as etcdAdmin, dropKeys as etcdDrop, PREFIX as ETCD_PREFIX, rawAccess as etcdRaw } from '../../packages/store-etcd/test/support.js';

/** A backend the harness runs: on the machine's shared server, and (for restarts) on one of its own. */
export interface Backend {
  readonly name: 'postgres' | 'mariadb' | 'sqlite' | 'redis' | 'zookeeper' | 'etcd';
  /** Set when the backend's server cannot be found (and CI allows it to be missing). */
  readonly skip: string | undefined;
  /** The store on the shared server, in a namespace of its own. */
  config(namespace: string): StoreConfig;
  /** Rows past the store, to plant corrupt records and to check they are kept. */
  readonly raw: RawAccess;
  /** Removes what a namespace left on the shared server. */
  drop(namespace: string): Promise<void>;
  /** A server of the harness's own that can be killed, and the store on it; undefined for SQLite, which has no server. */
  readonly ownServer: (() => Promise<{ server: OwnServer; config(namespace: string): StoreConfig }>) | undefined;
  close(): Promise<void>;
}

const unused: RawAccess = { read: async () => null, write: async () => undefined };

async function sqlServer(name: 'postgres' | 'mariadb'): Promise<Backend> {
  const found = await resolveService(SERVICES[name]);
  const dialect = name === 'postgres' ? 'postgres' : 'mysql';
  const config =
    (url: string) =>
    (namespace: string): StoreConfig => ({ type: 'sql', url, namespace, poolSize: 4 });
  const ownServer = async () => {
    const server = name === 'postgres' ? await createPgCluster() : await startMariaDb();
    return { server, config: config(server.url) };
  };
  if (!found.available) return { name, skip: found.reason, config: config(''), raw: unused, drop: async () => undefined, ownServer, close: async () => undefined };
  const admin = adminKysely(dialect, found.url);
  return {
    name,
    skip: undefined,
    config: config(found.url),
    raw: sqlRaw(admin, dialect),
    drop: (namespace) => dropNamespace(admin, namespace),
    ownServer,
    close: async () => {
      await admin.destroy();
      await found.stop();
    },
  };
}

function sqlite(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-reliability-sqlite-'));
  const file = join(dir, 'jobs.db');
  const admin = adminKysely('sqlite', file);
  return {
    name: 'sqlite',
    skip: undefined,
    config: (namespace) => ({ type: 'sql', url: `sqlite:${file}`, namespace }),
    raw: sqlRaw(admin, 'sqlite'),

    drop: (namespace) => dropNamespace(admin, namespace),
    ownServer: undefined,
    close: async () => {
      await admin.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redis(): Promise<Backend> {
  const found = await resolveService(SERVICES.redis);
  const config =
    (url: string) =>
    (namespace: string): StoreConfig => ({ type: 'redis', url, namespace, prefix: PREFIX });
  // appendfsync always: a killed server comes back with every write it acknowledged.
  const ownServer = async () => {
    const server = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
    return { server, config: config(server.url) };
  };
  if (!found.available) return { name: 'redis', skip: found.reason, config: config(''), raw: unused, drop: async () => undefined, ownServer, close: async () => undefined };
  const admin = new Redis(found.url);
  return {
    name: 'redis',
    skip: undefined,
    config: config(found.url),
    raw: redisRaw(admin),

    drop: dropper(admin),
    ownServer,
    close: async () => {
      admin.disconnect();
      await found.stop();
    },
  };
}

async function zookeeper(): Promise<Backend> {
  const found = await resolveService(SERVICES.zookeeper);
  const config =
    (url: string) =>
    (namespace: string): StoreConfig => ({ type: 'zookeeper', connectionString: connectionString(url), root: ROOT, namespace });
  const ownServer = async () => {
    const server = await startZooKeeper();
    return { server, config: config(server.url) };
  };
  if (!found.available)
    return {
      name: 'zookeeper',
      skip: `${found.reason} (start one with scripts/zookeeper.sh start)`,
      config: config(''),
      raw: unused,
      drop: async () => undefined,
      ownServer,
      close: async () => undefined,
    };
  const admin: Client = await zkConnect(found.url);
  return {
    name: 'zookeeper',
    skip: undefined,
    config: config(found.url),
    raw: zkRaw(admin),

    drop: (namespace) => removeTree(admin, `${ROOT}/${namespace}`),
    ownServer,
    close: async () => {
      await removeTree(admin, ROOT);
      admin.close();
      await found.stop();
    },
  };
}

async function etcd(): Promise<Backend> {
  const found = await resolveService(SERVICES.etcd);
  const config =
    (url: string) =>
    (namespace: string): StoreConfig => ({ type: 'etcd', hosts: url, prefix: ETCD_PREFIX, namespace });
  const ownServer = async () => {
    const server = await startEtcd();
    return { server, config: config(server.url) };
  };
  if (!found.available)
    return { name: 'etcd', skip: `${found.reason} (start one with scripts/etcd.sh start)`, config: config(''), raw: unused, drop: async () => undefined, ownServer, close: async () => undefined };
  const admin = etcdAdmin(found.url);
  return {
    name: 'etcd',
    skip: undefined,
    config: config(found.url),
    raw: etcdRaw(admin),
    drop: (namespace) => etcdDrop(admin, namespace),
    ownServer,
    close: async () => {
      await etcdDrop(admin);
      admin.close();
      await found.stop();
    },
  };
}

/** Every backend with a server here (or none needed). MongoDB is left out: no server can be had. */
export async function loadBackends(): Promise<Backend[]> {
  return [await sqlServer('postgres'), await sqlServer('mariadb'), sqlite(), await redis(), await zookeeper(), await etcd()];
}

/** Said where MongoDB would run. */
export const MONGO_NOT_RUN = "mongo: no MongoDB server can be had on this project's machines (no Debian package, no container engine, no download); the harness runs it nowhere";
