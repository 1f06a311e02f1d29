import { createJobStore, type JobStore, type LazyStoreDriver, type StoreFactory } from '@jobstore/core';
import { connectionFor } from './etcd-client.js';
import { EtcdDriver } from './etcd-driver.js';
import { checkOptions, type EtcdJobStoreOptions, type EtcdSettings } from './etcd-options.js';

/**
 * The store on etcd v3: one key per row, its data and its place in the due order beside it;
 * every write and every claim is a transaction comparing mod revisions, so two schedulers never
 * both claim a job; changes reach every process through an etcd watch.
 *
 * Options are checked here (InvalidArgumentError); nothing connects until the store's first
 * `open()` or call. This is also what a scheduler's `{ type: 'etcd', hosts }` calls.
 */
export function createStore(options: EtcdJobStoreOptions): JobStore {
  return createJobStore(lazyDriver(checkOptions(options)), options);
}
// The scheduler loads every backend through this one signature.
createStore satisfies StoreFactory<EtcdJobStoreOptions>;

/** The driver, made (and its client with it) at the store's first open. */
export function lazyDriver(settings: EtcdSettings): LazyStoreDriver {
  const name = `etcd:${settings.namespace}`;
  return {
    name,
    notifications: 'push',
    connect: async () => new EtcdDriver(name, settings.keys, connectionFor(settings), settings.maxRequestBytes),
  };
}
