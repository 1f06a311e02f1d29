import type { ListPosition } from '@jobstore/core';
import { sql, type RawBuilder } from 'kysely';
import type { DialectSql } from './dialect.js';
import type { JobRow } from './rows.js';

/**
 * The read queries every dialect shares. Each is shaped for the (next_run_time, id) index:
 * range conditions on it and ORDER BY it, never a function of a column, so no query scans the table.
 */
export class JobQueries {
  readonly table: RawBuilder<unknown>;
  readonly columns: RawBuilder<unknown>;
  readonly #d: DialectSql;

  constructor(table: string, dialect: DialectSql) {
    this.table = sql.table(table);
    this.#d = dialect;
    this.columns = sql`id, next_run_time, ${dialect.dataText} AS data, version, acquired_by, acquired_until`;
  }

  get(id: string): RawBuilder<JobRow> {
    return sql<JobRow>`SELECT ${this.columns} FROM ${this.table} WHERE id = ${id}`;
  }

  /** Scheduled rows after `after` (a scheduled position, or the start), in due order. */
  scheduled(after: ListPosition | null, limit: number): RawBuilder<JobRow> {
    return sql<JobRow>`SELECT ${this.columns} FROM ${this.table}
      WHERE next_run_time IS NOT NULL ${this.#after(after)}
      ORDER BY next_run_time, id LIMIT ${limit}`;
  }

  /** Paused rows with an id after `afterId`, by id. */
  paused(afterId: string | null, limit: number): RawBuilder<JobRow> {
    const after = afterId === null ? sql`` : sql`AND id > ${afterId}`;
    return sql<JobRow>`SELECT ${this.columns} FROM ${this.table}
      WHERE next_run_time IS NULL ${after}
      ORDER BY id LIMIT ${limit}`;
  }

  due(now: number, after: ListPosition | null, limit: number): RawBuilder<JobRow> {
    return sql<JobRow>`SELECT ${this.columns} FROM ${this.table}
      WHERE next_run_time <= ${this.#d.int(now)} ${this.#after(after)}
      ORDER BY next_run_time, id LIMIT ${limit}`;
  }

  /** The earliest unleased next run time: the first index entry without a lease. */
  nextFree(): RawBuilder<{ t: number | string | null }> {
    return sql`SELECT next_run_time AS t FROM ${this.table}
      WHERE next_run_time IS NOT NULL AND acquired_until IS NULL
      ORDER BY next_run_time LIMIT 1`;
  }

  /** The earliest time a leased row becomes claimable; reads only leased rows, through the lease index. */
  nextLeased(): RawBuilder<{ t: number | string | null }> {
    return sql`SELECT MIN(CASE WHEN next_run_time > acquired_until THEN next_run_time ELSE acquired_until + 1 END) AS t
      FROM ${this.table} WHERE acquired_until IS NOT NULL AND next_run_time IS NOT NULL`;
  }

  /** The store's next run time: the earlier of the two above, in one round trip. */
  nextRunTime(): RawBuilder<{ free: number | string | null; leased: number | string | null }> {
    return sql`SELECT (${this.nextFree()}) AS free, (${this.nextLeased()}) AS leased`;
  }

  /** Rows a claim by `owner` at `now` may take, in due order. */
  claimable(owner: string, now: number, limit: number, lock: RawBuilder<unknown>): RawBuilder<JobRow> {
    return sql<JobRow>`SELECT ${this.columns} FROM ${this.table}
      WHERE next_run_time <= ${this.#d.int(now)}
        AND (acquired_by IS NULL OR acquired_by = ${owner} OR acquired_until < ${this.#d.int(now)})
      ORDER BY next_run_time, id LIMIT ${limit} ${lock}`;
  }

  /** Keyset continuation, written out so that every dialect turns it into index ranges. */
  #after(after: ListPosition | null): RawBuilder<unknown> {
    if (after === null || after.nextRunTime === null) return sql``;
    const t = this.#d.int(after.nextRunTime);
    return sql`AND (next_run_time > ${t} OR (next_run_time = ${t} AND id > ${after.id}))`;
  }
}
