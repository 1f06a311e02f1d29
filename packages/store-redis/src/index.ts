export { RedisJobStore, createStore, type RedisJobStoreOptions } from './redis-job-store.js';
export { redisKeys, padTime, toStoredJob, type RawRow, type RedisKeys } from './layout.js';
