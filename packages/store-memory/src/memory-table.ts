import sortedBtree from 'sorted-btree';
import { compareIds, type DriverEvent, type ListPosition, type StoredJob } from '@jobstore/core';

// sorted-btree is CommonJS: Node's default import is module.exports, a bundler's may be the class.
const BTree = (sortedBtree as unknown as { default?: typeof sortedBtree.default }).default ?? (sortedBtree as unknown as typeof sortedBtree.default);

/** Paused rows sort after every scheduled one, so one index serves due scans and listings. */
function timeKey(nextRunTime: number | null): number {
  return nextRunTime ?? Number.POSITIVE_INFINITY;
}

function compareRows(a: ListPosition, b: ListPosition): number {
  const ta = timeKey(a.nextRunTime);
  const tb = timeKey(b.nextRunTime);
  return ta < tb ? -1 : ta > tb ? 1 : compareIds(a.id, b.id);
}

/**
 * One namespace's jobs: a map by id and a B+ tree ordered by (nextRunTime, id), so add, update,
 * remove, the due scan's first step and the next-run lookup are O(log n). Rows are immutable:
 * a change replaces the row in both structures.
 */
export class MemoryTable {
  readonly #rows = new Map<string, StoredJob>();
  readonly #index = new BTree<ListPosition, undefined>(undefined, compareRows);
  readonly #subscribers = new Set<(event: DriverEvent) => void>();

  get size(): number {
    return this.#rows.size;
  }

  get(id: string): StoredJob | undefined {
    return this.#rows.get(id);
  }

  /** Stores `row`, replacing any row with its id. */
  put(row: StoredJob): void {
    const old = this.#rows.get(row.id);
    if (old !== undefined) this.#index.delete(old);
    this.#rows.set(row.id, row);
    this.#index.set(row, undefined);
  }

  delete(id: string): boolean {
    const old = this.#rows.get(id);
    if (old === undefined) return false;
    this.#rows.delete(id);
    this.#index.delete(old);
    return true;
  }

  clear(): void {
    this.#rows.clear();
    this.#index.clear();
  }

  /** Rows in index order strictly after `after`, while `keep` holds, up to `limit`. */
  scan(after: ListPosition | null, limit: number, keep: (row: StoredJob) => boolean): StoredJob[] {
    const out: StoredJob[] = [];
    for (const key of this.#index.keys(after ?? undefined)) {
      if (after !== null && compareRows(key, after) <= 0) continue;
      const row = key as StoredJob;
      if (!keep(row)) break;
      out.push(row);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Visits rows in index order until `visit` returns false. */
  walk(visit: (row: StoredJob) => boolean): void {
    for (const key of this.#index.keys()) if (!visit(key as StoredJob)) return;
  }

  subscribe(deliver: (event: DriverEvent) => void): () => void {
    this.#subscribers.add(deliver);
    return () => this.#subscribers.delete(deliver);
  }

  /** Every store on this table hears every change, as with a real server's notifications. */
  publish(event: DriverEvent): void {
    for (const deliver of this.#subscribers) deliver(event);
  }
}
