import { InvalidArgumentError, type StoredJob } from '@jobstore/core';

/** A ZooKeeper path of one or more components of letters, digits, `_`, `-` and `.` (but not `.` or `..`). */
const ROOT = /^(\/[A-Za-z0-9_.-]+)+$/;

/** ZooKeeper's own tree (quotas, the dynamic configuration): a store must never write there. */
const RESERVED = '/zookeeper';

export function checkRoot(root: unknown): string {
  if (typeof root !== 'string' || !ROOT.test(root) || root.split('/').some((part) => part === '.' || part === '..') || root.length > 200) {
    throw new InvalidArgumentError(`ZooKeeperJobStore: root ${JSON.stringify(root)} is not valid: use an absolute path like /jobstore (letters, digits, _ - .; no . or .. components)`);
  }
  if (root === RESERVED || root.startsWith(`${RESERVED}/`)) {
    throw new InvalidArgumentError(
      `ZooKeeperJobStore: root ${JSON.stringify(root)} is inside ${RESERVED}, which ZooKeeper reserves for itself (quotas, configuration): use another root, such as /jobstore`,
    );
  }
  return root;
}

/**
 * Job ids become znode names as base64url of their UTF-8 bytes: reversible, never `/`, `.` or
 * `..`, never a character ZooKeeper refuses, and no two ids share a name.
 */
export function encodeId(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeId(name: string): string {
  return Buffer.from(name, 'base64url').toString('utf8');
}

/** A job znode's data: the whole record, as JSON. */
interface RecordJson {
  v: number;
  n: number | null;
  d: string;
  b: string | null;
  u: number | null;
}

const toJson = (row: StoredJob): RecordJson => ({ v: row.version, n: row.nextRunTime, d: row.data, b: row.acquiredBy, u: row.acquiredUntil });

function fromJson(id: string, r: Partial<RecordJson> | null | undefined): StoredJob | null {
  if (typeof r !== 'object' || r === null || typeof r.v !== 'number' || typeof r.d !== 'string' || !(r.n === null || typeof r.n === 'number')) return null;
  return { id, version: r.v, nextRunTime: r.n, data: r.d, acquiredBy: typeof r.b === 'string' ? r.b : null, acquiredUntil: typeof r.u === 'number' ? r.u : null };
}

export function encodeRecord(row: StoredJob): Buffer {
  return Buffer.from(JSON.stringify(toJson(row)), 'utf8');
}

/** The row in a job znode, or null when the znode holds something else (it is then skipped, and reported by the reads that decode it). */
export function decodeRecord(id: string, data: Buffer | undefined): { row: StoredJob } | null {
  try {
    const row = fromJson(id, JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as Partial<RecordJson>);
    return row === null ? null : { row };
  } catch {
    return null;
  }
}

/**
 * A job a change record names. With `row` (null: removed) the record carries the job as the
 * change left it, at znode version `zversion`; without, readers read the job znode.
 */
export interface ChangeEntry {
  readonly id: string;
  readonly zversion?: number;
  readonly row?: StoredJob | null;
}

/** A change log record: the jobs a write touched, and what subscribers are told (null: nothing, as for a claim). */
export interface ChangeRecord {
  readonly entries: readonly ChangeEntry[];
  /** In parseChangeMessage's format. */
  readonly message: string | null;
}

type EntryJson = [id: string] | [id: string, zversion: number, record: RecordJson | null];

/**
 * A change record's data. A program that writes job znodes itself (a bulk load, a migration)
 * creates one naming the ids, as a sequential child `e-` of `<root>/<namespace>/events`, so that
 * open stores read those jobs again.
 */
export function encodeChange(entries: readonly (string | ChangeEntry)[], message: string | null = null): Buffer {
  const e = entries.map((entry): EntryJson => {
    if (typeof entry === 'string') return [entry];
    const { id, zversion, row } = entry;
    return zversion === undefined || row === undefined ? [id] : [id, zversion, row === null ? null : toJson(row)];
  });
  return Buffer.from(JSON.stringify({ m: message, e }), 'utf8');
}

/** A change record, or null when the data is not one. */
export function decodeChange(data: Buffer | undefined): ChangeRecord | null {
  try {
    const { m, e } = JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as { m?: unknown; e?: unknown };
    if (!(m === null || typeof m === 'string') || !Array.isArray(e)) return null;
    const entries: ChangeEntry[] = [];
    for (const item of e as unknown[]) {
      if (!Array.isArray(item) || typeof item[0] !== 'string') return null;
      const [id, zversion, record] = item as [string, unknown, unknown];
      if (item.length === 1) entries.push({ id });
      else {
        const row = record === null ? null : fromJson(id, record as Partial<RecordJson>);
        // A record this reader cannot decode is read from the job znode instead.
        entries.push(typeof zversion === 'number' && (row !== null || record === null) ? { id, zversion, row } : { id });
      }
    }
    return { entries, message: m };
  } catch {
    return null;
  }
}
