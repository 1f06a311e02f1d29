export { runConformanceSuite } from './suite.js';
export type { ConformanceTarget, RawAccess } from './target.js';
export type { Harness } from './harness.js';
export { ODD_IDS } from './tests/ids-and-data.js';
export { eventually } from './helpers.js';
export {
  SERVICES,
  allowedMissing,
  containerRuntimeAvailable,
  requireServices,
  resolveService,
  type ContainerSpec,
  type Env,
  type ServiceResolution,
  type ServiceSpec,
  type StartedServer,
} from './services.js';
export { freePort, waitForPort } from './servers/free-port.js';
export type { OwnServer } from './servers/own-server.js';
export { createPgCluster, postgresBinDir } from './servers/postgres.js';
export { RedisServer, startRedisCluster } from './servers/redis.js';
export { startZooKeeper } from './servers/zookeeper.js';
export { startEtcd } from './servers/etcd.js';
export { startMariaDb } from './servers/mariadb.js';
