import type { JobStore, StoreFactory } from '@jobstore/core';
import { MemoryJobStore, type MemoryJobStoreOptions } from './memory-job-store.js';

/** The store from plain options: how a scheduler's configuration (`{ type: 'memory' }`) opens it. */
export function createStore(options: MemoryJobStoreOptions = {}): JobStore {
  return new MemoryJobStore(options);
}
// The scheduler loads every backend through this one signature.
createStore satisfies StoreFactory<MemoryJobStoreOptions>;
