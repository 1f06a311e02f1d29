import { resolveService, runConformanceSuite, SERVICES } from '@jobstore/conformance';
import { RedisJobStore } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import { dropper, PREFIX, rawAccess } from './support/targets.js';

const redis = await resolveService(SERVICES.redis);
const admin = redis.available ? new Redis(redis.url) : undefined;

runConformanceSuite({
  name: 'redis',
  skip: redis.available ? undefined : redis.reason,
  open: (namespace) => new RedisJobStore({ url: redis.available ? redis.url : 'redis://127.0.0.1:1', namespace, prefix: PREFIX }),
  raw: rawAccess(admin as Redis),
  drop: dropper(admin as Redis),
  teardown: async () => {
    admin?.disconnect();
    if (redis.available) await redis.stop();
  },
});
