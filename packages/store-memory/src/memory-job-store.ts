import { BaseJobStore, checkStoreOptions, type StoreOptions } from '@jobstore/core';
import { MemoryDatabase } from './memory-database.js';
import { MemoryDriver } from './memory-driver.js';

/** Options of {@link MemoryJobStore}, besides those every store takes ({@link StoreOptions}: `logger`). */
export interface MemoryJobStoreOptions extends StoreOptions {
  /** Separates independent stores on one database; defaults to `"jobs"`. */
  readonly namespace?: string;
  /**
   * Share one database between several stores (as schedulers share a server); by default each
   * store has its own and its jobs go with it.
   */
  readonly database?: MemoryDatabase;
}

/**
 * The embedded job store: no server, nothing written to disk. Same contract and semantics as
 * the persistent stores (leases, versions, events), so it can stand in for them in tests.
 */
export class MemoryJobStore extends BaseJobStore {
  /** The database this store's jobs live in. */
  readonly database: MemoryDatabase;
  readonly namespace: string;

  constructor(options: MemoryJobStoreOptions = {}) {
    const namespace = checkStoreOptions(options, 'MemoryJobStore');
    const database = options.database ?? new MemoryDatabase();
    super(new MemoryDriver(database.table(namespace), namespace), options);
    this.database = database;
    this.namespace = namespace;
  }
}
