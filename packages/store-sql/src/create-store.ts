import type { JobStore, StoreFactory } from '@jobstore/core';
import { SqlJobStore, type SqlJobStoreOptions } from './sql-job-store.js';

/** The store from plain options: how a scheduler's configuration (`{ type: 'sql', url }`) opens it. */
export function createStore(options: SqlJobStoreOptions): JobStore {
  return new SqlJobStore(options);
}
// The scheduler loads every backend through this one signature.
createStore satisfies StoreFactory<SqlJobStoreOptions>;
