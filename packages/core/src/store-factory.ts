import type { JobStore } from './job-store.js';
import type { StoreOptions } from './logger.js';

/**
 * The signature of every backend package's `createStore` export. A scheduler configured with
 * `{ type: 'redis', ...options }` imports `@jobstore/store-redis` and calls
 * `createStore(options)` with the other fields; the store it returns is not opened yet.
 *
 * @typeParam Options - the backend's options, which include those every store takes.
 */
export type StoreFactory<Options extends StoreOptions = StoreOptions> = (options: Options) => JobStore;
