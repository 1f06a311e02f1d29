import { runConformanceSuite, startRedisCluster } from '@jobstore/conformance';
import { RedisJobStore } from '@jobstore/store-redis';
import { Cluster } from 'ioredis';
import { dropper, PREFIX, rawAccess } from './support/targets.js';

// A real 3-master cluster of the test's own, from the machine's redis-server.
const cluster = await startRedisCluster();
const admin = new Cluster(cluster.nodes);

runConformanceSuite({
  name: 'redis cluster (3 masters)',
  open: (namespace) => new RedisJobStore({ cluster: cluster.nodes, namespace, prefix: PREFIX }),
  raw: rawAccess(admin),
  drop: dropper(admin),
  teardown: async () => {
    admin.disconnect();
    await cluster.stop();
  },
});
