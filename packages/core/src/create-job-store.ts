import type { StoreDriverSource } from './driver.js';
import type { JobStore } from './job-store.js';
import type { StoreOptions } from './logger.js';
import { BaseJobStore } from './store-base.js';

/**
 * The {@link JobStore} over a backend's driver: argument checks, the codec, typed errors, events,
 * corrupt-record reporting and the closed state come from core; the driver only stores. This is
 * what a backend's `createStore` returns (see docs/writing-a-backend.md).
 *
 * @param source - a {@link StoreDriver}, or a {@link LazyStoreDriver} whose driver is made on first open.
 * @param options - what every store takes ({@link StoreOptions}: `logger`).
 * @throws InvalidArgumentError when `source` is neither, or the logger option is malformed.
 */
export function createJobStore(source: StoreDriverSource, options: StoreOptions = {}): JobStore {
  return new BaseJobStore(source, options);
}
