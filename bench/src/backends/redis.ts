import { padTime, redisKeys, RedisJobStore } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import type { BenchBackend } from '../store-bench.js';

export const REDIS_URL = process.env['JOBSTORE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

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
      const data = '{"v":1,"d":{"task":"reports:send","args":[1]}}';
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

