export { ZooKeeperJobStore, createStore, type ZooKeeperJobStoreOptions } from './zookeeper-job-store.js';
export { decodeId, encodeId, encodeRecord, decodeRecord, encodeChange, decodeChange, type ChangeEntry, type ChangeRecord } from './layout.js';
