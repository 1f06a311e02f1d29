import type { Logger } from '@jobstore/core';
import { Cluster, type Redis } from 'ioredis';

/** Servers already checked by this process (`host:port`): each is reported once, not once per store. */
const checked = new Set<string>();

/** Where a connection goes: `host:port`, or its socket path. */
export function addressOf(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path !== undefined && path !== null && path !== '' ? path : `${host ?? 'localhost'}:${port ?? 6379}`;
}

async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as unknown;
  // [name, value]; an empty array when the server does not know the setting.
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
}

/**
 * Warns when a server keeps nothing on disk (no RDB snapshots: `save ""`; no append-only file:
 * `appendonly no`): when it restarts, every job in it is gone. On a cluster, every master is
 * asked. Where CONFIG is refused (managed Redis often refuses it) it says so at debug level only;
 * nothing here ever fails the store's open.
 */
export async function checkPersistence(client: Redis | Cluster, store: string, namespace: string, logger: Logger): Promise<void> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  await Promise.all(
    servers.map(async (redis) => {
      const server = addressOf(redis);
      if (checked.has(server)) return;
      checked.add(server);
      let save: string | undefined;
      let appendonly: string | undefined;
      try {
        [save, appendonly] = await Promise.all([configValue(redis, 'save'), configValue(redis, 'appendonly')]);
      } catch (error) {
        logger.debug?.(
          `store ${JSON.stringify(store)}: could not ask the Redis server at ${server} whether it keeps data on disk (CONFIG GET: ${error instanceof Error ? error.message : String(error)}); not checked`,
          { store, namespace, server },
        );
        return;
      }
      if (save !== '' || appendonly !== 'no') return;
      logger.warn(
        `store ${JSON.stringify(store)}: the Redis server at ${server} keeps nothing on disk (save "" and appendonly no): ` +
          'when it restarts, every job in it is gone. Turn on the append-only file (appendonly yes) or RDB snapshots (save), ' +
          'or use a Redis that persists',
        { store, namespace, server, save, appendonly },
      );
    }),
  );
}
