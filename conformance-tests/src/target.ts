import type { JobStore, StoredJob } from '@jobstore/core';

/** What a backend's test file hands to {@link runConformanceSuite}. */
export interface ConformanceTarget {
  /** Shown in test names: `"memory"`, `"postgres"`, `"redis-cluster"`. */
  readonly name: string;
  /**
   * Opens a new store instance on `namespace`, with its own connection: the suite opens several
   * per test to play several scheduler processes. May throw or reject for a bad namespace.
   */
  open(namespace: string): JobStore | Promise<JobStore>;
  /** Reads and writes rows past the store, to check what is really kept and to plant bad records. */
  readonly raw: RawAccess;
  /** Deletes whatever a namespace left on the server (tables, keys, znodes) after each test. */
  drop?(namespace: string): Promise<void>;
  /** Runs once before the suite (start a server, connect an admin client). */
  setup?(): Promise<void>;
  /** Runs once after the suite. */
  teardown?(): Promise<void>;
  /** When set, every test is registered as skipped and this reason is printed. */
  readonly skip?: string | undefined;
  /** Largest job data, in characters of stored text, the backend must keep; default 256 KiB. */
  readonly maxDataChars?: number;
}

/** Row-level access past the store, as Auth.js's adapter tests read raw rows. */
export interface RawAccess {
  /** The row as stored, or null. */
  read(namespace: string, id: string): Promise<StoredJob | null>;
  /** Writes a row as given, bypassing the store and its codec (no notification needed). */
  write(namespace: string, row: StoredJob): Promise<void>;
}
