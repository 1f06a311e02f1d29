import { assertNamespace, createJobStore, type JobStore, type StoreFactory, type StoreOptions } from '@jobstore/core';
import { MapDriver, type MapServer } from './map-driver.js';

/** The store's options: its own, and those every store takes (`logger`). */
export interface MapStoreOptions extends StoreOptions {
  readonly server: MapServer;
  /** A letter, then up to 47 letters, digits or underscores; default `"jobs"`. */
  readonly namespace?: string;
}

/** What a scheduler's `{ module: 'my-store', ...options }` calls, and what users call. */
export function createStore(options: MapStoreOptions): JobStore {
  const namespace = options.namespace ?? 'jobs';
  // Before the namespace reaches a table, key or path: InvalidArgumentError, at construction.
  assertNamespace(namespace, 'MapStore');
  const name = `map:${namespace}`;
  return createJobStore(
    {
      name,
      notifications: 'poll',
      // Runs at the first open(), not here: import the client library and connect here.
      connect: async () => new MapDriver(name, await options.server.connect(namespace)),
    },
    options,
  );
}
createStore satisfies StoreFactory<MapStoreOptions>;
