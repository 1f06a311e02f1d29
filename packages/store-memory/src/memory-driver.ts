import {
  holdsLease,
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
import type { MemoryTable } from './memory-table.js';

/** The StoreDriver over one MemoryTable. Every call runs to completion synchronously, so each is atomic. */
export class MemoryDriver implements StoreDriver {
  readonly name: string;
  readonly notifications = 'push' as const;
  readonly #table: MemoryTable;
  #unsubscribe: (() => void) | undefined;

  constructor(table: MemoryTable, namespace: string) {
    this.#table = table;
    this.name = `memory:${namespace}`;
  }

  async open(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#unsubscribe = this.#table.subscribe(deliver);
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
  }

  async insert(row: StoredJob): Promise<boolean> {
    if (this.#table.get(row.id) !== undefined) return false;
    this.#table.put(row);
    this.#table.publish({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
    return true;
  }

  async update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    const old = this.#table.get(id);
    if (old === undefined) return { status: 'missing' };
    if (expectedVersion !== undefined && old.version !== expectedVersion) return { status: 'conflict', version: old.version };
    const row: StoredJob = { ...old, ...changes, version: old.version + 1 };
    this.#table.put(row);
    this.#table.publish({ type: 'updated', jobId: id, nextRunTime: row.nextRunTime });
    return { status: 'ok', row };
  }

  async remove(id: string): Promise<boolean> {
    if (!this.#table.delete(id)) return false;
    this.#table.publish({ type: 'removed', jobId: id });
    return true;
  }

  async removeAll(): Promise<void> {
    this.#table.clear();
    this.#table.publish({ type: 'cleared' });
  }

  async get(id: string): Promise<StoredJob | null> {
    return this.#table.get(id) ?? null;
  }

  async list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#table.list(after, limit);
  }

  async due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#table.due(now, after, limit);
  }

  async nextRunTime(): Promise<number | null> {
    return this.#table.nextRunTime();
  }

  async acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    const claimed = this.#table.claimable(owner, now, limit);
    return claimed.map((row) => {
      const leased: StoredJob = { ...row, acquiredBy: owner, acquiredUntil: leaseUntil };
      this.#table.put(leased);
      return leased;
    });
  }

  async release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    const old = this.#table.get(id);
    const refusal = releaseRefusal(old, owner, expectedVersion);
    if (refusal !== null || old === undefined) return refusal ?? { status: 'missing' };
    if (change === 'remove') {
      this.#table.delete(id);
      this.#table.publish({ type: 'removed', jobId: id });
    } else {
      this.#table.put({ ...old, ...change, version: old.version + 1, acquiredBy: null, acquiredUntil: null });
      this.#table.publish({ type: 'released', jobId: id, nextRunTime: change.nextRunTime });
    }
    return { status: 'ok' };
  }

  async extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    const extended: string[] = [];
    for (const id of ids) {
      const row = this.#table.get(id);
      if (row === undefined || !holdsLease(row, owner)) continue;
      this.#table.put({ ...row, acquiredUntil: leaseUntil });
      extended.push(id);
    }
    return extended;
  }
}
