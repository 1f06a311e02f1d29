import { chunksWithin, releaseRefusal, type DriverEvent, type ReleaseItem, type ReleaseOutcome, type RowChanges, type RowRelease, type StoredJob, type WriteOutcome } from '@jobstore/core';
import { sql, type RawBuilder } from 'kysely';
import type { AnyKysely } from './dialect.js';
import { statementBytes, type Carried, type PacketLimit } from './packet-limit.js';
import { byDueOrder, toStoredJob, type JobRow } from './rows.js';
import { SqlDriver, type SqlDriverConfig } from './sql-driver.js';

/** How a dialect without UPDATE ... RETURNING makes a read-then-write atomic. */
export interface Locking {
  /** Runs `work` in a transaction that holds whatever `lock` and `skipLocked` take until it ends. */
  transaction<T>(db: AnyKysely, work: (tx: AnyKysely) => Promise<T>): Promise<T>;
  /** Appended to a read whose rows the transaction will write (`FOR UPDATE`). */
  readonly lock: RawBuilder<unknown>;
  /** Appended to the claim's read: rows locked by a competing claim are passed over. */
  readonly skipLocked: RawBuilder<unknown>;
  /** Is this the duplicate-key error of an INSERT? */
  isDuplicate(error: unknown): boolean;
  /**
   * Runs a write so that no other write of this process on the same database runs meanwhile.
   * SQLite needs it: its driver is synchronous, so a second connection waiting for the lock
   * would block the very thread the lock holder needs to finish.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** The claim is one `UPDATE … WHERE id IN (SELECT …) RETURNING` (SQLite) rather than a locking read and an update. */
  readonly claimByUpdate: boolean;
}

/**
 * MySQL/MariaDB and SQLite: every read-then-write runs in one transaction with the rows locked
 * (InnoDB row locks with SKIP LOCKED for claims; SQLite's database lock, taken by BEGIN
 * IMMEDIATE). Neither can push changes between processes, so the store declares polling and
 * tells its own subscribers of its own writes.
 */
export class LockingDriver extends SqlDriver {
  readonly notifications = 'poll' as const;
  readonly #locking: Locking;
  /** MySQL's and MariaDB's statement size limit; none for SQLite. */
  readonly #packets: PacketLimit | undefined;
  #deliver: (event: DriverEvent) => void = () => undefined;

  constructor(config: SqlDriverConfig, locking: Locking, packets?: PacketLimit) {
    super(config);
    this.#locking = locking;
    this.#packets = packets;
  }

  override async open(deliver: (event: DriverEvent) => void): Promise<void> {
    await super.open(deliver);
    await this.#packets?.read(this.db);
  }

  /** Runs a write that sends `carried` (job data), refusing data the server could not take in one statement. */
  #sized<T>(operation: string, carried: readonly Carried[], write: () => Promise<T>): Promise<T> {
    if (this.#packets === undefined || carried.length === 0) return write();
    return this.#packets.run(this.db, operation, carried, write);
  }

  protected async listen(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#deliver = deliver;
  }

  #tx<T>(work: (tx: AnyKysely) => Promise<T>): Promise<T> {
    return this.#locking.exclusive(() => this.#locking.transaction(this.db, work));
  }

  protected override exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#locking.exclusive(work);
  }

  async #locked(tx: AnyKysely, id: string): Promise<StoredJob | null> {
    const { rows } = await sql`${this.q.get(id)} ${this.#locking.lock}`.execute(tx);
    return rows[0] === undefined ? null : toStoredJob(rows[0] as Parameters<typeof toStoredJob>[0]);
  }

  insert(row: StoredJob): Promise<boolean> {
    return this.guard('addJob', async () => {
      try {
        await this.#sized('addJob', [row], () =>
          this.exclusive(() =>
            sql`INSERT INTO ${this.q.table} (id, next_run_time, data, version, acquired_by, acquired_until)
              VALUES (${row.id}, ${row.nextRunTime}, ${row.data}, ${row.version}, NULL, NULL)`.execute(this.db),
          ),
        );
      } catch (error) {
        if (this.#locking.isDuplicate(error)) return false;
        throw error;
      }
      this.#deliver({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
      return true;
    });
  }

  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.guard('updateJob', async () => {
      const carried = changes.data === undefined ? [] : [{ id, data: changes.data }];
      const outcome = await this.#sized('updateJob', carried, () =>
        this.#tx(async (tx): Promise<WriteOutcome> => {
          const current = await this.#locked(tx, id);
          if (current === null) return { status: 'missing' };
          if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'conflict', version: current.version };
          const row: StoredJob = { ...current, ...changes, version: current.version + 1 };
          const sets = [sql`version = ${row.version}`];
          if ('nextRunTime' in changes) sets.push(sql`next_run_time = ${row.nextRunTime}`);
          if (changes.data !== undefined) sets.push(sql`data = ${changes.data}`);
          await sql`UPDATE ${this.q.table} SET ${sql.join(sets)} WHERE id = ${id}`.execute(tx);
          return { status: 'ok', row };
        }),
      );
      if (outcome.status === 'ok') this.#deliver({ type: 'updated', jobId: id, nextRunTime: outcome.row.nextRunTime });
      return outcome;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.guard('removeJob', async () => {
      const result = await this.exclusive(() => sql`DELETE FROM ${this.q.table} WHERE id = ${id}`.execute(this.db));
      const removed = Number(result.numAffectedRows ?? 0) > 0;
      if (removed) this.#deliver({ type: 'removed', jobId: id });
      return removed;
    });
  }

  removeAll(): Promise<void> {
    return this.guard('removeAllJobs', async () => {
      await this.exclusive(() => sql`DELETE FROM ${this.q.table}`.execute(this.db));
      this.#deliver({ type: 'cleared' });
    });
  }

  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    if (this.#locking.claimByUpdate) {
      // One conditional UPDATE inside the immediate transaction: the claim cannot interleave.
      return this.guard('acquireDueJobs', () =>
        this.#tx(async (tx) => {
          const { rows } = await sql<JobRow>`UPDATE ${this.q.table} SET acquired_by = ${owner}, acquired_until = ${leaseUntil}
            WHERE id IN (SELECT id FROM (${this.q.claimable(owner, now, limit, sql``)}))
            RETURNING ${this.q.columns}`.execute(tx);
          return rows.map(toStoredJob).sort(byDueOrder);
        }),
      );
    }
    return this.guard('acquireDueJobs', () =>
      this.#tx(async (tx) => {
        // The read locks what it returns (skipping rows a competing claim holds); the write is
        // conditioned on the same lease test, so even a dialect without row locks cannot double-claim.
        const { rows } = await this.q.claimable(owner, now, limit, this.#locking.skipLocked).execute(tx);
        if (rows.length === 0) return [];
        const ids = rows.map((row) => row.id);
        await sql`UPDATE ${this.q.table} SET acquired_by = ${owner}, acquired_until = ${leaseUntil}
          WHERE id IN (${sql.join(ids)}) AND (acquired_by IS NULL OR acquired_by = ${owner} OR acquired_until < ${now})`.execute(tx);
        return rows.map((row) => ({ ...toStoredJob(row), acquiredBy: owner, acquiredUntil: leaseUntil }));
      }),
    );
  }

  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.guard('releaseJob', async () => {
      const carried = change === 'remove' || change.data === undefined ? [] : [{ id, data: change.data }];
      const outcome = await this.#sized('releaseJob', carried, () =>
        this.#tx(async (tx): Promise<ReleaseOutcome> => {
          const current = await this.#locked(tx, id);
          const refusal = releaseRefusal(current, owner, expectedVersion);
          if (refusal !== null || current === null) return refusal ?? { status: 'missing' };
          if (change === 'remove') {
            await sql`DELETE FROM ${this.q.table} WHERE id = ${id}`.execute(tx);
          } else {
            const data = change.data === undefined ? sql`` : sql`, data = ${change.data}`;
            await sql`UPDATE ${this.q.table} SET next_run_time = ${change.nextRunTime}${data},
            version = ${current.version + 1}, acquired_by = NULL, acquired_until = NULL WHERE id = ${id}`.execute(tx);
          }
          return { status: 'ok' };
        }),
      );
      if (outcome.status === 'ok') {
        this.#deliver(change === 'remove' ? { type: 'removed', jobId: id } : { type: 'released', jobId: id, nextRunTime: change.nextRunTime });
      }
      return outcome;
    });
  }

  /** Many releases in one transaction: one commit for the batch instead of one per job. */
  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    return this.guard('releaseJobs', async () => {
      const carried = items.flatMap((item) => (item.change === 'remove' || item.change.data === undefined ? [] : [{ id: item.id, data: item.change.data }]));
      const outcomes = await this.#sized('releaseJobs', carried, () =>
        this.#tx(async (tx): Promise<ReleaseOutcome[]> => {
          const { rows } = await sql<JobRow>`SELECT ${this.q.columns} FROM ${this.q.table}
          WHERE id IN (${sql.join(items.map((item) => item.id))}) ${this.#locking.lock}`.execute(tx);
          const current = new Map(rows.map((row) => [row.id, toStoredJob(row)]));
          const results = items.map((item): ReleaseOutcome => {
            return releaseRefusal(current.get(item.id), owner, item.expectedVersion) ?? { status: 'ok' };
          });
          const ok = items.filter((_, i) => results[i]?.status === 'ok');
          const removes = ok.filter((item) => item.change === 'remove').map((item) => item.id);
          const updates = ok.flatMap((item) => (item.change === 'remove' ? [] : [{ id: item.id, ...item.change }]));
          if (removes.length > 0) await sql`DELETE FROM ${this.q.table} WHERE id IN (${sql.join(removes)})`.execute(tx);
          // As many statements as the server's statement limit needs (one, unless data is large).
          for (const chunk of this.#statements(updates)) {
            const ids = sql.join(chunk.map((u) => u.id));
            const times = sql.join(
              chunk.map((u) => sql`WHEN ${u.id} THEN ${u.nextRunTime}`),
              sql` `,
            );
            const withData = chunk.filter((u) => u.data !== undefined);
            const data =
              withData.length === 0
                ? sql``
                : sql`, data = CASE id ${sql.join(
                    withData.map((u) => sql`WHEN ${u.id} THEN ${u.data}`),
                    sql` `,
                  )} ELSE data END`;
            await sql`UPDATE ${this.q.table} SET next_run_time = CASE id ${times} END${data},
            version = version + 1, acquired_by = NULL, acquired_until = NULL WHERE id IN (${ids})`.execute(tx);
          }
          return results;
        }),
      );
      items.forEach((item, i) => {
        if (outcomes[i]?.status !== 'ok') return;
        this.#deliver(item.change === 'remove' ? { type: 'removed', jobId: item.id } : { type: 'released', jobId: item.id, nextRunTime: item.change.nextRunTime });
      });
      return outcomes;
    });
  }

  /** Release updates cut into statements that each fit the server's limit (PacketLimit refused any job that fits none). */
  #statements<T extends { readonly id: string; readonly data?: string }>(updates: readonly T[]): T[][] {
    const budget = this.#packets?.budget ?? Number.POSITIVE_INFINITY;
    if (updates.length === 0) return [];
    if (budget === Number.POSITIVE_INFINITY) return [[...updates]];
    // An id is written three times (the IN list and two CASEs), with a few words around each.
    return chunksWithin(updates, (u) => 3 * (statementBytes(u.id) + 16) + (u.data === undefined ? 0 : statementBytes(u.data)), budget);
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.guard('extendLeases', () =>
      this.#tx(async (tx) => {
        const { rows } = await sql<{ id: string }>`SELECT id FROM ${this.q.table}
          WHERE id IN (${sql.join([...ids])}) AND acquired_by = ${owner} ${this.#locking.lock}`.execute(tx);
        if (rows.length === 0) return [];
        const held = rows.map((row) => row.id);
        await sql`UPDATE ${this.q.table} SET acquired_until = ${leaseUntil} WHERE id IN (${sql.join(held)})`.execute(tx);
        return held;
      }),
    );
  }
}
