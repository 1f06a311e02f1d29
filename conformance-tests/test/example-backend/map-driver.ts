import {
  compareIds,
  holdsLease,
  isClaimable,
  JobTooLargeError,
  releaseRefusal,
  type DriverEvent,
  type ListPosition,
  type ReleaseOutcome,
  type RowChanges,
  type RowRelease,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';

/** Stands in for a database server: a table of rows per namespace, shared by every store on it. */
export class MapServer {
  readonly tables = new Map<string, Map<string, StoredJob>>();

  /** What a real client's connect would be: asynchronous, and the place a connection can fail. */
  async connect(namespace: string): Promise<Map<string, StoredJob>> {
    return this.table(namespace);
  }

  table(namespace: string): Map<string, StoredJob> {
    let table = this.tables.get(namespace);
    if (table === undefined) {
      table = new Map();
      this.tables.set(namespace, table);
    }
    return table;
  }
}

/** The most data text one row takes; a real backend reads its server's limit. */
const MAX_DATA_CHARS = 1024 * 1024;

/** Listing order: scheduled rows by (nextRunTime, id), then paused rows by id, ids by code point. */
function byListingOrder(a: ListPosition, b: ListPosition): number {
  if (a.nextRunTime !== b.nextRunTime) {
    if (a.nextRunTime === null) return 1;
    if (b.nextRunTime === null) return -1;
    return a.nextRunTime - b.nextRunTime;
  }
  return compareIds(a.id, b.id);
}

/**
 * A StoreDriver over one table. Every method runs to completion without awaiting, so each is
 * atomic, as a real backend's single statement, transaction or script must be.
 */
export class MapDriver implements StoreDriver {
  readonly name: string;
  // This driver hears only its own writes; a backend that carries other processes' changes says 'push'.
  readonly notifications = 'poll' as const;
  readonly #rows: Map<string, StoredJob>;
  #deliver: (event: DriverEvent) => void = () => undefined;

  constructor(name: string, rows: Map<string, StoredJob>) {
    this.name = name;
    this.#rows = rows;
  }

  async open(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#deliver = deliver;
  }

  async close(): Promise<void> {
    this.#deliver = () => undefined;
  }

  async insert(row: StoredJob): Promise<boolean> {
    this.#checkSize(row.id, row.data, 'addJob');
    if (this.#rows.has(row.id)) return false;
    this.#rows.set(row.id, row);
    this.#deliver({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
    return true;
  }

  async update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    if (changes.data !== undefined) this.#checkSize(id, changes.data, 'updateJob');
    const old = this.#rows.get(id);
    if (old === undefined) return { status: 'missing' };
    if (expectedVersion !== undefined && old.version !== expectedVersion) return { status: 'conflict', version: old.version };
    const row: StoredJob = { ...old, ...changes, version: old.version + 1 };
    this.#rows.set(id, row);
    this.#deliver({ type: 'updated', jobId: id, nextRunTime: row.nextRunTime });
    return { status: 'ok', row };
  }

  async remove(id: string): Promise<boolean> {
    if (!this.#rows.delete(id)) return false;
    this.#deliver({ type: 'removed', jobId: id });
    return true;
  }

  async removeAll(): Promise<void> {
    this.#rows.clear();
    this.#deliver({ type: 'cleared' });
  }

  async get(id: string): Promise<StoredJob | null> {
    return this.#rows.get(id) ?? null;
  }

  async list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#sorted()
      .filter((row) => after === null || byListingOrder(row, after) > 0)
      .slice(0, limit);
  }

  async due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    const due = this.#sorted().filter((row) => row.nextRunTime !== null && row.nextRunTime <= now);
    return due.filter((row) => after === null || byListingOrder(row, after) > 0).slice(0, limit);
  }

  async nextRunTime(): Promise<number | null> {
    let best: number | null = null;
    for (const row of this.#rows.values()) {
      if (row.nextRunTime === null) continue;
      // A leased job can be claimed again 1 ms after its lease ends, not before.
      const free = row.acquiredUntil === null ? row.nextRunTime : Math.max(row.nextRunTime, row.acquiredUntil + 1);
      if (best === null || free < best) best = free;
    }
    return best;
  }

  async acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    const claimed = this.#sorted()
      .filter((row) => isClaimable(row, owner, now))
      .slice(0, limit);
    return claimed.map((row) => {
      const leased: StoredJob = { ...row, acquiredBy: owner, acquiredUntil: leaseUntil };
      this.#rows.set(row.id, leased);
      return leased;
    });
  }

  async release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    if (change !== 'remove' && change.data !== undefined) this.#checkSize(id, change.data, 'releaseJob');
    const old = this.#rows.get(id);
    const refusal = releaseRefusal(old, owner, expectedVersion);
    if (refusal !== null || old === undefined) return refusal ?? { status: 'missing' };
    if (change === 'remove') {
      this.#rows.delete(id);
      this.#deliver({ type: 'removed', jobId: id });
    } else {
      this.#rows.set(id, { ...old, ...change, version: old.version + 1, acquiredBy: null, acquiredUntil: null });
      this.#deliver({ type: 'released', jobId: id, nextRunTime: change.nextRunTime });
    }
    return { status: 'ok' };
  }

  async extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    const held = ids.filter((id) => holdsLease(this.#rows.get(id), owner));
    for (const id of held) {
      const row = this.#rows.get(id);
      if (row !== undefined) this.#rows.set(id, { ...row, acquiredUntil: leaseUntil });
    }
    return held;
  }

  #sorted(): StoredJob[] {
    return [...this.#rows.values()].sort(byListingOrder);
  }

  /** Data over the backend's limit is refused before anything is written. */
  #checkSize(id: string, data: string, operation: string): void {
    if (data.length > MAX_DATA_CHARS) throw new JobTooLargeError(this.name, id, operation, data.length, MAX_DATA_CHARS, 'MAX_DATA_CHARS');
  }
}
