import type { DriverEvent, ListPosition, Logger, NotificationMode, ReleaseItem, ReleaseOutcome, RowChanges, RowRelease, StoreDriver, StoredJob, WriteOutcome } from '@jobstore/core';

/**
 * A driver made on first open: database drivers are optional peer dependencies, imported only
 * when a store needs one, and importing is asynchronous while a store's constructor is not.
 */
export class DeferredDriver implements StoreDriver {
  readonly name: string;
  readonly notifications: NotificationMode;
  readonly #make: () => Promise<StoreDriver>;
  #inner: StoreDriver | undefined;

  constructor(name: string, notifications: NotificationMode, make: () => Promise<StoreDriver>) {
    this.name = name;
    this.notifications = notifications;
    this.#make = make;
  }

  async open(deliver: (event: DriverEvent) => void, logger: Logger): Promise<void> {
    // A pool made by a failed attempt is kept: the next attempt reuses it.
    this.#inner ??= await this.#make();
    await this.#inner.open(deliver, logger);
  }

  /** BaseJobStore calls nothing but open before open has succeeded. */
  get #driver(): StoreDriver {
    if (this.#inner === undefined) throw new Error(`${this.name}: used before open`);
    return this.#inner;
  }

  async close(): Promise<void> {
    await this.#inner?.close();
  }

  insert(row: StoredJob): Promise<boolean> {
    return this.#driver.insert(row);
  }
  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.#driver.update(id, changes, expectedVersion);
  }
  remove(id: string): Promise<boolean> {
    return this.#driver.remove(id);
  }
  removeAll(): Promise<void> {
    return this.#driver.removeAll();
  }
  get(id: string): Promise<StoredJob | null> {
    return this.#driver.get(id);
  }
  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#driver.list(after, limit);
  }
  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#driver.due(now, after, limit);
  }
  nextRunTime(): Promise<number | null> {
    return this.#driver.nextRunTime();
  }
  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.#driver.acquire(owner, now, leaseUntil, limit);
  }
  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.#driver.release(id, owner, change, expectedVersion);
  }
  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    const driver = this.#driver;
    if (driver.releaseMany !== undefined) return driver.releaseMany(owner, items);
    return Promise.all(items.map((item) => driver.release(item.id, owner, item.change, item.expectedVersion)));
  }
  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#driver.extend(ids, owner, leaseUntil);
  }
}
