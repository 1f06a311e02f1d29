import { chunksWithin } from '@jobstore/core';
import type { DriverEvent, ReleaseItem, ReleaseOutcome, RowChanges, RowRelease, StoredJob, WriteOutcome } from '@jobstore/core';
import { sql, type RawBuilder } from 'kysely';
import type { PgListener } from './pg-listener.js';
import { byDueOrder, toStoredJob, type JobRow } from './rows.js';
import { releaseFailure, SqlDriver, type SqlDriverConfig } from './sql-driver.js';

/** The NOTIFY channel of a jobs table: a store hears the changes made to its table only. */
export function channelOf(table: string): string {
  return `jobstore_${table}`;
}

/**
 * PostgreSQL: every write is one statement that also calls pg_notify, so the change and its
 * notification commit together; claims use FOR UPDATE SKIP LOCKED.
 */
export class PostgresDriver extends SqlDriver {
  readonly notifications: 'push' | 'poll';
  readonly #listener: PgListener | undefined;
  readonly #channel: string;
  /** Without a listening connection, this store's own changes are delivered directly. */
  #deliverOwn: ((event: DriverEvent) => void) | undefined;

  constructor(config: SqlDriverConfig, listener: PgListener | undefined) {
    super(config);
    this.#listener = listener;
    this.#channel = channelOf(config.table);
    this.notifications = listener === undefined ? 'poll' : 'push';
  }

  protected async listen(deliver: (event: DriverEvent) => void): Promise<void> {
    if (this.#listener === undefined) this.#deliverOwn = deliver;
    else await this.guard('open', () => this.#listener!.listen(this.#channel, deliver)); // eslint-disable-line @typescript-eslint/no-non-null-assertion
  }

  override async close(): Promise<void> {
    await this.#listener?.close();
    await super.close();
  }

  /** `WITH w AS (<write> RETURNING ...) SELECT ..., pg_notify(...) FROM w`: one atomic statement. */
  #notifying(write: RawBuilder<unknown>, type: DriverEvent['type'], withTime: boolean): RawBuilder<JobRow> {
    const payload = withTime ? sql`json_build_object('t', ${type}::text, 'id', w.id, 'n', w.next_run_time)::text` : sql`json_build_object('t', ${type}::text, 'id', w.id)::text`;
    return sql<JobRow>`WITH w AS (${write}) SELECT w.*, pg_notify(${this.#channel}, ${payload}) AS notified FROM w`;
  }

  #own(event: DriverEvent): void {
    this.#deliverOwn?.(event);
  }

  insert(row: StoredJob): Promise<boolean> {
    return this.guard('addJob', async () => {
      const write = sql`INSERT INTO ${this.q.table} (id, next_run_time, data, version, acquired_by, acquired_until)
        VALUES (${row.id}, ${this.dialect.int(row.nextRunTime)}, ${this.dialect.data(row.data)}, ${row.version}, NULL, NULL)
        ON CONFLICT (id) DO NOTHING RETURNING id, next_run_time`;
      const { rows } = await this.#notifying(write, 'added', true).execute(this.db);
      if (rows.length > 0) this.#own({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
      return rows.length > 0;
    });
  }

  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.guard('updateJob', async () => {
      const sets = [sql`version = version + 1`];
      if ('nextRunTime' in changes) sets.push(sql`next_run_time = ${this.dialect.int(changes.nextRunTime ?? null)}`);
      if (changes.data !== undefined) sets.push(sql`data = ${this.dialect.data(changes.data)}`);
      const write = sql`UPDATE ${this.q.table} SET ${sql.join(sets)}
        WHERE id = ${id} AND (${this.dialect.int(expectedVersion ?? null)} IS NULL OR version = ${this.dialect.int(expectedVersion ?? null)})
        RETURNING ${this.q.columns}`;
      const { rows } = await this.#notifying(write, 'updated', true).execute(this.db);
      const [updated] = rows;
      if (updated !== undefined) {
        const row = toStoredJob(updated);
        this.#own({ type: 'updated', jobId: id, nextRunTime: row.nextRunTime });
        return { status: 'ok', row };
      }
      const current = await this.#current(id);
      return current === null ? { status: 'missing' } : { status: 'conflict', version: current.version };
    });
  }

  remove(id: string): Promise<boolean> {
    return this.guard('removeJob', async () => {
      const write = sql`DELETE FROM ${this.q.table} WHERE id = ${id} RETURNING id`;
      const { rows } = await this.#notifying(write, 'removed', false).execute(this.db);
      if (rows.length > 0) this.#own({ type: 'removed', jobId: id });
      return rows.length > 0;
    });
  }

  removeAll(): Promise<void> {
    return this.guard('removeAllJobs', async () => {
      await sql`WITH w AS (DELETE FROM ${this.q.table}) SELECT pg_notify(${this.#channel}, '{"t":"cleared"}')`.execute(this.db);
      this.#own({ type: 'cleared' });
    });
  }

  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.guard('acquireDueJobs', async () => {
      // SKIP LOCKED: rows a competing claim has locked are passed over, not waited on; a row it
      // claimed and committed meanwhile fails the re-checked WHERE and is not taken twice.
      const { rows } = await sql<JobRow>`WITH picked AS (${this.q.claimable(owner, now, limit, sql`FOR UPDATE SKIP LOCKED`)})
        UPDATE ${this.q.table} AS j SET acquired_by = ${owner}, acquired_until = ${this.dialect.int(leaseUntil)}
        FROM picked WHERE j.id = picked.id
        RETURNING j.id, j.next_run_time, j.data::text AS data, j.version, j.acquired_by, j.acquired_until`.execute(this.db);
      return rows.map(toStoredJob).sort(byDueOrder);
    });
  }

  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.guard('releaseJob', async () => {
      const expected = this.dialect.int(expectedVersion ?? null);
      const held = sql`id = ${id} AND acquired_by = ${owner} AND (${expected} IS NULL OR version = ${expected})`;
      let done: boolean;
      if (change === 'remove') {
        const { rows } = await this.#notifying(sql`DELETE FROM ${this.q.table} WHERE ${held} RETURNING id`, 'removed', false).execute(this.db);
        done = rows.length > 0;
        if (done) this.#own({ type: 'removed', jobId: id });
      } else {
        const data = change.data === undefined ? sql`` : sql`, data = ${this.dialect.data(change.data)}`;
        const write = sql`UPDATE ${this.q.table}
          SET next_run_time = ${this.dialect.int(change.nextRunTime)}${data}, version = version + 1, acquired_by = NULL, acquired_until = NULL
          WHERE ${held} RETURNING id, next_run_time`;
        const { rows } = await this.#notifying(write, 'released', true).execute(this.db);
        done = rows.length > 0;
        if (done) this.#own({ type: 'released', jobId: id, nextRunTime: change.nextRunTime });
      }
      if (done) return { status: 'ok' };
      return releaseFailure(await this.#current(id), owner);
    });
  }

  /**
   * Many releases in one statement per chunk, with one NOTIFY per chunk (NOTIFYing transactions
   * take turns at commit, so one per job would cap throughput). Chunks keep the payload under
   * PostgreSQL's 8000-byte limit.
   */
  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    return this.guard('releaseJobs', async () => {
      const released = new Map<string, DriverEvent>();
      // Chunks are independent statements: run them side by side on the pool.
      await Promise.all(
        payloadChunks(items).map(async (chunk) => {
          const input = sql.join(
            chunk.map((item) => {
              const remove = item.change === 'remove';
              const time = item.change === 'remove' ? null : item.change.nextRunTime;
              const data = item.change === 'remove' || item.change.data === undefined ? null : item.change.data;
              return sql`(${item.id}::text, ${this.dialect.int(time)}, ${data}::text, ${this.dialect.int(item.expectedVersion ?? null)}, ${remove}::boolean)`;
            }),
          );
          const held = sql`j.id = i.id AND j.acquired_by = ${owner} AND (i.expected IS NULL OR j.version = i.expected)`;
          const { rows } = await sql<{ id: string; next_run_time: string | number | null; removed: boolean }>`
          WITH i (id, next_run_time, data, expected, remove) AS (VALUES ${input}),
          u AS (
            UPDATE ${this.q.table} AS j SET next_run_time = i.next_run_time, data = COALESCE(i.data, j.data),
              version = j.version + 1, acquired_by = NULL, acquired_until = NULL
            FROM i WHERE ${held} AND NOT i.remove RETURNING j.id, j.next_run_time
          ),
          d AS (DELETE FROM ${this.q.table} AS j USING i WHERE ${held} AND i.remove RETURNING j.id),
          done AS (SELECT id, next_run_time, false AS removed FROM u UNION ALL SELECT id, NULL::bigint, true FROM d),
          n AS (
            SELECT pg_notify(${this.#channel}, json_build_object('t', 'batch', 'r', json_agg(json_build_array(id, next_run_time, removed)))::text)
            FROM done HAVING count(*) > 0
          )
          SELECT done.*, (SELECT count(*) FROM n) AS notified FROM done`.execute(this.db);
          for (const row of rows) {
            const nextRunTime = row.next_run_time === null ? null : Number(row.next_run_time);
            released.set(row.id, row.removed ? { type: 'removed', jobId: row.id } : { type: 'released', jobId: row.id, nextRunTime });
          }
        }),
      );
      for (const event of released.values()) this.#own(event);
      const failed = items.filter((item) => !released.has(item.id)).map((item) => item.id);
      const current = new Map<string, StoredJob>();
      if (failed.length > 0) {
        const { rows } = await sql<JobRow>`SELECT ${this.q.columns} FROM ${this.q.table} WHERE id = ANY(${failed}::text[])`.execute(this.db);
        for (const row of rows) current.set(row.id, toStoredJob(row));
      }
      return items.map((item) => (released.has(item.id) ? { status: 'ok' } : releaseFailure(current.get(item.id) ?? null, owner)));
    });
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.guard('extendLeases', async () => {
      const { rows } = await sql<{ id: string }>`UPDATE ${this.q.table} SET acquired_until = ${this.dialect.int(leaseUntil)}
        WHERE id = ANY(${[...ids]}::text[]) AND acquired_by = ${owner} RETURNING id`.execute(this.db);
      return rows.map((row) => row.id);
    });
  }

  async #current(id: string): Promise<StoredJob | null> {
    const { rows } = await this.q.get(id).execute(this.db);
    return rows[0] === undefined ? null : toStoredJob(rows[0]);
  }
}

/** NOTIFY payloads must stay under 8000 bytes: about 40 bytes of JSON per job plus its id. */
function payloadChunks(items: readonly ReleaseItem[]): ReleaseItem[][] {
  return chunksWithin(items, (item) => Buffer.byteLength(JSON.stringify(item.id)) + 40, 7000);
}
