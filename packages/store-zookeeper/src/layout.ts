import { InvalidArgumentError, type StoredJob } from '@jobstore/core';

/** A ZooKeeper path of one or more components of letters, digits, `_`, `-` and `.` (but not `.` or `..`). */
const ROOT = /^(\/[A-Za-z0-9_.-]+)+$/;

export function checkRoot(root: unknown): string {
  if (typeof root !== 'string' || !ROOT.test(root) || root.split('/').some((part) => part === '.' || part === '..') || root.length > 200) {
    throw new InvalidArgumentError(`ZooKeeperJobStore: root ${JSON.stringify(root)} is not valid: use an absolute path like /jobstore (letters, digits, _ - .; no . or .. components)`);
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

export function encodeRecord(row: StoredJob): Buffer {
  const record: RecordJson = { v: row.version, n: row.nextRunTime, d: row.data, b: row.acquiredBy, u: row.acquiredUntil };
  return Buffer.from(JSON.stringify(record), 'utf8');
}

/** The row in a job znode, or null when the znode holds something else (it is then skipped, and reported by the reads that decode it). */
export function decodeRecord(id: string, data: Buffer | undefined): { row: StoredJob } | null {
  try {
    const r = JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as Partial<RecordJson>;
    if (typeof r.v !== 'number' || typeof r.d !== 'string' || !(r.n === null || typeof r.n === 'number')) return null;
    const row: StoredJob = { id, version: r.v, nextRunTime: r.n, data: r.d, acquiredBy: typeof r.b === 'string' ? r.b : null, acquiredUntil: typeof r.u === 'number' ? r.u : null };
    return { row };
  } catch {
    return null;
  }
}
