import { BaseJobStore, checkStoreOptions, InvalidArgumentError, type JobStore, type StoreOptions } from '@jobstore/core';
import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { redisKeys, type RedisKeys } from './layout.js';
import { RedisDriver, type RedisConnection } from './redis-driver.js';

/**
 * Options of {@link RedisJobStore}: a client of yours, or where to connect; besides those every
 * store takes ({@link StoreOptions}: `logger`).
 */
export interface RedisJobStoreOptions extends StoreOptions {
  /** Your ioredis client (Redis or Cluster); the store uses it and leaves it open. */
  readonly client?: Redis | Cluster;
  /** `redis://[user:password@]host:port[/db]`: the store connects (and on close, disconnects). */
  readonly url?: string;
  /** Startup nodes of a Redis Cluster: the store connects to the cluster. */
  readonly cluster?: readonly ClusterNode[];
  /** Extra ioredis options for a connection the store makes (for a cluster: its redisOptions). */
  readonly redisOptions?: RedisOptions;
  /** Separates independent stores on one server (a letter, then letters, digits, _); default "jobs". */
  readonly namespace?: string;
  /** The first part of every key; default "jobstore". */
  readonly prefix?: string;
}

/**
 * APScheduler's RedisJobStore, made atomic and shareable: every change is one Lua script, claims
 * walk a sorted set by next run time (O(log n + k)), changes are pushed with pub/sub, and all
 * keys share one hash tag so the store works unchanged on Redis Cluster.
 */
export class RedisJobStore extends BaseJobStore {
  readonly keys: RedisKeys;

  constructor(options: RedisJobStoreOptions = {}) {
    const namespace = checkStoreOptions(options, 'RedisJobStore', { connection: ['client', 'url', 'cluster'] });
    const keys = redisKeys(options.prefix ?? 'jobstore', namespace);
    super(new RedisDriver(`redis:${namespace}`, namespace, keys, connectionFor(options)), options);
    this.keys = keys;
  }
}

/**
 * Connections the store makes fail fast while Redis is away (no offline queue, one retry), so a
 * call gets StoreUnavailableError instead of waiting; ioredis keeps reconnecting meanwhile.
 */
const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true };

function connectionFor(options: RedisJobStoreOptions): RedisConnection {
  const own = options.client === undefined;
  let client: Redis | Cluster;
  if (options.client !== undefined) client = options.client;
  else if (options.url !== undefined) {
    if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) throw new InvalidArgumentError(`RedisJobStore: url must start with redis:// or rediss://`);
    // ioredis's option types need every optional field present under exactOptionalPropertyTypes.
    client = new Redis(options.url, { ...options.redisOptions, ...FAIL_FAST } as never);
  } else {
    const clusterOptions: ClusterOptions = { enableOfflineQueue: false, lazyConnect: true, redisOptions: { ...options.redisOptions, maxRetriesPerRequest: 1 } };
    client = new Cluster([...(options.cluster ?? [])], clusterOptions as never);
  }
  // Without a listener an 'error' event would end the process; the calls themselves report failures.
  if (own) client.on('error', () => undefined);
  let connecting: Promise<void> | undefined;
  return {
    client,
    async connect() {
      if (!own || client.status === 'ready') return;
      connecting ??= (client.status === 'wait' ? client.connect() : Promise.resolve()).finally(() => {
        connecting = undefined;
      });
      await connecting;
    },
    async subscriber() {
      const subscriber = client instanceof Cluster ? client.duplicate() : client.duplicate();
      subscriber.on('error', () => undefined);
      if (subscriber.status === 'wait') await subscriber.connect();
      return subscriber;
    },
    async close() {
      if (own) client.disconnect();
    },
  };
}

/** The store from plain options: how a scheduler's configuration (`{ type: 'redis', url }`) opens it. */
export function createStore(options: RedisJobStoreOptions): JobStore {
  return new RedisJobStore(options);
}
