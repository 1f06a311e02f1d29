import { compareIds, type StoredJob } from '@jobstore/core';

/** A job row as a driver returns it: BIGINTs may come back as strings (pg) or bigints. */
export interface JobRow {
  readonly id: string;
  readonly next_run_time: number | string | bigint | null;
  /** Codec text: every dialect's query reads the column as text. */
  readonly data: string;
  readonly version: number | string | bigint;
  readonly acquired_by: string | null;
  readonly acquired_until: number | string | bigint | null;
}

function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

function toNumberOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : toNumber(value);
}

export function toStoredJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    nextRunTime: toNumberOrNull(row.next_run_time),
    data: row.data,
    version: toNumber(row.version),
    acquiredBy: row.acquired_by,
    acquiredUntil: toNumberOrNull(row.acquired_until),
  };
}

/** Due order: rows some statements return unordered (UPDATE ... RETURNING) are sorted back. */
export function byDueOrder(a: StoredJob, b: StoredJob): number {
  const ta = a.nextRunTime ?? Number.POSITIVE_INFINITY;
  const tb = b.nextRunTime ?? Number.POSITIVE_INFINITY;
  return ta < tb ? -1 : ta > tb ? 1 : compareIds(a.id, b.id);
}
