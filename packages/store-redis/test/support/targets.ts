import type { ConformanceTarget, RawAccess } from '@jobstore/conformance';
import { padTime, redisKeys, toStoredJob, type RawRow } from '@jobstore/store-redis';
import type { Cluster, Redis } from 'ioredis';

export const PREFIX = `jobstore-test-${process.pid}`;

/** Rows past the store, in its layout. */
export function rawAccess(client: Redis | Cluster): RawAccess {
  return {
    async read(namespace, id) {
      const keys = redisKeys(PREFIX, namespace);
      const record = await client.hget(keys.jobs, id);
      if (record === null) return null;
      const [, version, time, data] = /^(\d+),(\d*),([\s\S]*)$/.exec(record) as unknown as [string, string, string, string];
      const owner = (await client.hget(keys.owners, id)) ?? '';
      const until = (await client.zscore(keys.leases, id)) ?? '';
      return toStoredJob([id, version, time, data, owner, until] as RawRow);
    },
    async write(namespace, row) {
      const keys = redisKeys(PREFIX, namespace);
      const time = padTime(row.nextRunTime);
      await client.hset(keys.jobs, row.id, `${row.version},${time},${row.data}`);
      if (time === '') await client.zadd(keys.paused, 0, row.id);
      else await client.zadd(keys.due, 0, `${time}\0${row.id}`);
      if (row.acquiredBy !== null) await client.hset(keys.owners, row.id, row.acquiredBy);
      if (row.acquiredUntil !== null) await client.zadd(keys.leases, row.acquiredUntil, row.id);
    },
  };
}

export function dropper(client: Redis | Cluster): (namespace: string) => Promise<void> {
  return async (namespace) => {
    const keys = redisKeys(PREFIX, namespace);
    await client.del(...keys.all, keys.marker);
  };
}

export type Target = ConformanceTarget;
