import sortedBtree from 'sorted-btree';
import type { ListPosition, StoredJob } from './driver.js';
import { compareIds } from './ids.js';
import { isClaimable } from './lease-rules.js';

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
 * Job rows in memory: a map by id and a B+ tree ordered by (nextRunTime, id), so add, update,
 * remove, the due scan's first step and the next-run lookup are O(log n). Rows are immutable:
 * a change replaces the row. For backends that keep jobs (or a cache of them) in the process.
 */
export class JobIndex {
  readonly #rows = new Map<string, StoredJob>();
  readonly #index = new BTree<ListPosition, undefined>(undefined, compareRows);

  get size(): number {
    return this.#rows.size;
  }

  get(id: string): StoredJob | undefined {
    return this.#rows.get(id);
  }

  ids(): IterableIterator<string> {
    return this.#rows.keys();
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

  /** Rows in listing order strictly after `after`: scheduled by (nextRunTime, id), then paused by id. */
  list(after: ListPosition | null, limit: number): StoredJob[] {
    return this.#scan(after, limit, () => true);
  }

  /** Rows with nextRunTime <= now, in due order, strictly after `after`. */
  due(now: number, after: ListPosition | null, limit: number): StoredJob[] {
    return this.#scan(after, limit, (row) => row.nextRunTime !== null && row.nextRunTime <= now);
  }

  /**
   * min over scheduled rows of max(nextRunTime, acquiredUntil + 1). Walks from the earliest row
   * and stops at the first unleased one: no later row can be free sooner.
   */
  nextRunTime(): number | null {
    let best: number | null = null;
    for (const key of this.#index.keys()) {
      const row = key as StoredJob;
      if (row.nextRunTime === null || (best !== null && row.nextRunTime >= best)) break;
      const free = row.acquiredUntil === null ? row.nextRunTime : Math.max(row.nextRunTime, row.acquiredUntil + 1);
      if (best === null || free < best) best = free;
      if (row.acquiredUntil === null) break;
    }
    return best;
  }

  /**
   * Up to `limit` rows `owner` may claim at `now` ({@link isClaimable}), in due order. Leased rows
   * of others are passed over, not counted: the walk is bounded by the jobs in flight, not by the
   * jobs there are.
   */
  claimable(owner: string, now: number, limit: number, skip?: (id: string) => boolean): StoredJob[] {
    const out: StoredJob[] = [];
    for (const key of this.#index.keys()) {
      const row = key as StoredJob;
      // Rows are in due order: past the first one not yet due, none is.
      if (row.nextRunTime === null || row.nextRunTime > now || out.length >= limit) break;
      if (skip?.(row.id) === true) continue;
      if (isClaimable(row, owner, now)) out.push(row);
    }
    return out;
  }

  #scan(after: ListPosition | null, limit: number, keep: (row: StoredJob) => boolean): StoredJob[] {
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
}
