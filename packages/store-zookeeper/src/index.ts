export { ZooKeeperJobStore, createStore, type ZooKeeperJobStoreOptions } from './zookeeper-job-store.js';
export { decodeId, encodeId, encodeRecord, decodeRecord } from './layout.js';
