import { padTime, redisKeys, RedisJobStore } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import { BULK_DATA, type BenchBackend } from '../store-bench.js';
import { REDIS_URL } from '../urls.js';

/** The Redis store on `namespace` under `prefix`, with its own admin connection for resets and bulk loads. */
export function redisBackend(prefix: string, namespace: string, url = REDIS_URL): BenchBackend {
  const keys = redisKeys(prefix, namespace);
  const admin = new Redis(url);
  return {
    label: 'Redis',
    open: () => new RedisJobStore({ url, namespace, prefix }),
    async reset() {
      await admin.del(...keys.all);
    },
    async bulkInsert(idPrefix, count, first, step) {
      const data = BULK_DATA;
      for (let start = 0; start < count; start += 10_000) {
        const pipeline = admin.pipeline();
        for (let i = start; i < Math.min(count, start + 10_000); i++) {
          const id = `${idPrefix}${i}`;
          const time = padTime(first + i * step);
          pipeline.hset(keys.jobs, id, `1,${time},${data}`);
          pipeline.zadd(keys.due, 0, `${time}\0${id}`);
        }
        await pipeline.exec();
      }
    },
    async size() {
      let bytes = 0;
      for (const key of keys.all) bytes += Number((await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      return bytes;
    },
    close: async () => {
      admin.disconnect();
    },
  };
}
