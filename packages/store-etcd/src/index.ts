export { EtcdJobStore, createStore, DEFAULT_MAX_REQUEST_BYTES, type EtcdJobStoreOptions } from './etcd-job-store.js';
export { etcdKeys, encodeId, decodeId, padTime, indexKey, encodeMeta, decodeMeta, toStoredJob, type EtcdKeys, type RowMeta, type RowChange } from './layout.js';
