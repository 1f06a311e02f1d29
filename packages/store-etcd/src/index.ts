export { createStore } from './create-store.js';
export { DEFAULT_MAX_REQUEST_BYTES, type EtcdJobStoreOptions } from './etcd-options.js';
export { EtcdJobStore } from './etcd-job-store.js';
export { etcdKeys, encodeId, decodeId, padTime, indexKey, encodeMeta, decodeMeta, toStoredJob, type EtcdKeys, type RowMeta, type RowChange } from './layout.js';
