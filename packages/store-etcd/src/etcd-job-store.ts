import { BaseJobStore } from '@jobstore/core';
import { lazyDriver } from './create-store.js';
import { checkOptions, type EtcdJobStoreOptions } from './etcd-options.js';
import type { EtcdKeys } from './layout.js';

/**
 * The store of {@link createStore} as a class, the package's older form, kept so that
 * `new EtcdJobStore(options)` goes on working: the same options, checks and store, and the keys
 * it uses. New code calls `createStore`.
 */
export class EtcdJobStore extends BaseJobStore {
  /** The keys this store uses. */
  readonly keys: EtcdKeys;

  constructor(options: EtcdJobStoreOptions) {
    const settings = checkOptions(options);
    super(lazyDriver(settings), options);
    this.keys = settings.keys;
  }
}
