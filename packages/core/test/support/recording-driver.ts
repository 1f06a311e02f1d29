// A StoreDriver over a Map for core's own tests: the store's logic without a backend.
import {
  compareIds,
  type DriverEvent,
  type ListPosition,
  type Logger,
  type ReleaseOutcome,
  type RowChanges,
  type RowRelease,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';

/**
 * A driver over a Map that records every call that reaches it, so a test can tell a refusal made
 * by the store's own checks (nothing recorded) from one the backend would have had to make.
 */
export class RecordingDriver implements StoreDriver {
  readonly name: string;
  readonly notifications: 'poll' | 'push';
  readonly calls: string[] = [];
  readonly rows = new Map<string, StoredJob>();
  /** What open() was handed: the store's logger, and where a push driver delivers its events. */
  logger: Logger | undefined;
  #deliver: (event: DriverEvent) => void = () => undefined;

  /** `push`: inserts announce themselves as `added` events, as a backend with notifications does. */
  constructor(options: { readonly name?: string; readonly notifications?: 'poll' | 'push' } = {}) {
    this.name = options.name ?? 'recording:test';
    this.notifications = options.notifications ?? 'poll';
  }

  #sorted(): StoredJob[] {
    return [...this.rows.values()].sort((a, b) =>
      a.nextRunTime === b.nextRunTime ? compareIds(a.id, b.id) : a.nextRunTime === null ? 1 : b.nextRunTime === null ? -1 : a.nextRunTime - b.nextRunTime,
    );
  }

  #after(row: StoredJob, position: ListPosition): boolean {
    if (row.nextRunTime === position.nextRunTime) return compareIds(row.id, position.id) > 0;
    if (position.nextRunTime === null) return false;
    return row.nextRunTime === null || row.nextRunTime > position.nextRunTime;
  }

  async insert(row: StoredJob): Promise<boolean> {
    this.calls.push(`insert ${row.id}`);
    if (this.rows.has(row.id)) return false;
    this.rows.set(row.id, row);
    if (this.notifications === 'push') this.#deliver({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
    return true;
  }

  async update(id: string, changes: RowChanges): Promise<WriteOutcome> {
    this.calls.push(`update ${id}`);
    const row = this.rows.get(id);
    if (row === undefined) return { status: 'missing' };
    const updated = { ...row, ...changes, version: row.version + 1 };
    this.rows.set(id, updated);
    return { status: 'ok', row: updated };
  }

  async remove(id: string): Promise<boolean> {
    this.calls.push(`remove ${id}`);
    return this.rows.delete(id);
  }

  async removeAll(): Promise<void> {
    this.calls.push('removeAll');
    this.rows.clear();
  }

  async get(id: string): Promise<StoredJob | null> {
    this.calls.push(`get ${id}`);
    return this.rows.get(id) ?? null;
  }

  async list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    this.calls.push(`list ${JSON.stringify(after)}`);
    return this.#sorted()
      .filter((row) => after === null || this.#after(row, after))
      .slice(0, limit);
  }

  async due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    this.calls.push('due');
    return (await this.list(after, limit)).filter((row) => row.nextRunTime !== null && row.nextRunTime <= now);
  }

  async nextRunTime(): Promise<number | null> {
    this.calls.push('nextRunTime');
    return this.#sorted()[0]?.nextRunTime ?? null;
  }

  async acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    this.calls.push(`acquire ${JSON.stringify(owner)}`);
    const claimed = this.#sorted()
      .filter((row) => row.nextRunTime !== null && row.nextRunTime <= now && (row.acquiredBy === null || row.acquiredBy === owner || (row.acquiredUntil ?? 0) < now))
      .slice(0, limit)
      .map((row) => ({ ...row, acquiredBy: owner, acquiredUntil: leaseUntil }));
    for (const row of claimed) this.rows.set(row.id, row);
    return claimed;
  }

  async release(id: string, owner: string, change: RowRelease): Promise<ReleaseOutcome> {
    this.calls.push(`release ${id} ${JSON.stringify(owner)}`);
    const row = this.rows.get(id);
    if (row === undefined) return { status: 'missing' };
    if (row.acquiredBy !== owner) return { status: 'lost', holder: row.acquiredBy };
    if (change === 'remove') this.rows.delete(id);
    else this.rows.set(id, { ...row, ...change, version: row.version + 1, acquiredBy: null, acquiredUntil: null });
    return { status: 'ok' };
  }

  async extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    this.calls.push(`extend ${JSON.stringify(owner)}`);
    const held = ids.filter((id) => this.rows.get(id)?.acquiredBy === owner);
    for (const id of held) this.rows.set(id, { ...(this.rows.get(id) as StoredJob), acquiredUntil: leaseUntil });
    return held;
  }

  async open(deliver: (event: DriverEvent) => void, logger: Logger): Promise<void> {
    this.#deliver = deliver;
    this.logger = logger;
  }

  async close(): Promise<void> {}
}
