import { InvalidArgumentError, type StoredJob } from '@jobstore/core';

/**
 * The keys of one store, all under `<prefix>/<namespace>/`:
 *   jobs/<id>                the row without its data (JSON: version, nextRunTime, lease, last change)
 *   data/<id>                the job's data, its UTF-8 bytes as they are
 *   due/<time>/<id>          one per scheduled job, empty: byte order is (nextRunTime, id)
 *   paused/<id>              one per paused job, empty: byte order is id order
 *   jobs                     (no slash) rewritten by removeAllJobs, so watchers hear "cleared"
 * `<id>` is the hex of the id's UTF-8 bytes: no '/' can appear in it, and hex keeps byte order
 * (each byte becomes two digits of the same order), which is the code-point order of the ids.
 * The data sits apart from the row so that a claim, which writes only the row, stays small.
 */
export interface EtcdKeys {
  /** `<prefix>/<namespace>/`: everything of this store. */
  readonly base: string;
  readonly jobs: string;
  readonly data: string;
  readonly due: string;
  readonly paused: string;
  /** The key whose every write means "the namespace was emptied". */
  readonly cleared: string;
}

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;

export function etcdKeys(prefix: string, namespace: string): EtcdKeys {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new InvalidArgumentError(`EtcdJobStore: prefix ${JSON.stringify(prefix)} is not valid: use 1 to 64 letters, digits and _ . - (no '/': the store adds its own)`);
  }
  const base = `${prefix}/${namespace}/`;
  return { base, jobs: `${base}jobs/`, data: `${base}data/`, due: `${base}due/`, paused: `${base}paused/`, cleared: `${base}jobs` };
}

/** The id as it appears in keys: hex of its UTF-8 bytes, which sorts as the ids do. */
export function encodeId(id: string): string {
  return Buffer.from(id, 'utf8').toString('hex');
}

export function decodeId(encoded: string): string {
  return Buffer.from(encoded, 'hex').toString('utf8');
}

/** Times are kept as 15 digits (the largest time core allows fits): they sort as numbers do. */
export function padTime(time: number): string {
  return String(time).padStart(15, '0');
}

/** Where a row sits in the listing order: `due/<time>/<id>`, or `paused/<id>` while paused. */
export function indexKey(keys: EtcdKeys, id: string, nextRunTime: number | null): string {
  return nextRunTime === null ? `${keys.paused}${encodeId(id)}` : `${keys.due}${padTime(nextRunTime)}/${encodeId(id)}`;
}

/** The id in an index key (both kinds end in `/<hex id>`). */
export function idOfIndexKey(key: string): string {
  return decodeId(key.slice(key.lastIndexOf('/') + 1));
}

/**
 * Which change wrote a row: watchers turn `added`, `updated` and `released` into notifications;
 * `acquired` and `extended` (lease changes) are not announced, as core expects.
 */
export type RowChange = 'added' | 'updated' | 'released' | 'acquired' | 'extended';

/** The row as kept at `jobs/<id>`: everything but the id and the data. */
export interface RowMeta {
  readonly v: number;
  readonly n: number | null;
  readonly o: string | null;
  readonly u: number | null;
  readonly e: RowChange;
}

export function encodeMeta(row: Omit<StoredJob, 'id' | 'data'>, change: RowChange): string {
  const meta: RowMeta = { v: row.version, n: row.nextRunTime, o: row.acquiredBy, u: row.acquiredUntil, e: change };
  return JSON.stringify(meta);
}

const CHANGES = new Set<unknown>(['added', 'updated', 'released', 'acquired', 'extended']);

/** The row's fields, or null when the value is not a row of this format. */
export function decodeMeta(text: string): RowMeta | null {
  try {
    const { v, n, o, u, e } = JSON.parse(text) as Record<string, unknown>;
    if (typeof v !== 'number' || !(n === null || typeof n === 'number') || !(o === null || typeof o === 'string') || !(u === null || typeof u === 'number')) return null;
    return { v, n, o, u, e: CHANGES.has(e) ? (e as RowChange) : 'updated' };
  } catch {
    return null;
  }
}

/** A stored job from its row and data. */
export function toStoredJob(id: string, meta: RowMeta, data: string): StoredJob {
  return { id, nextRunTime: meta.n, data, version: meta.v, acquiredBy: meta.o, acquiredUntil: meta.u };
}
