import type { DriverEvent, ListPosition, RowChanges, RowRelease, StoredJob } from '@jobstore/core';

/**
 * A job as MongoDB keeps it: one document, the job id as a string `_id`.
 *
 * The data is the codec's text kept as a string, never as a sub-document: any key of the
 * user's data (`a.b`, `$where`, `_id`) survives, and nothing stored is ever evaluated.
 */
export interface JobDocument {
  _id: string;
  /** Next run time (epoch ms); null while paused. */
  n: number | null;
  /** The codec's text. */
  d: string;
  /** Version, bumped by updates and releases. */
  v: number;
  /** Lease owner and lease end. */
  b: string | null;
  u: number | null;
  /** When a scheduler should look at this job: max(n, u + 1), null while paused (the next-run index). */
  w: number | null;
  /** The last change, for change-stream listeners: [type, nextRunTime, nonce]. */
  e: ChangeMark;
  /** The claim that last took this job (its acquireDueJobs call). */
  t?: string | null;
}

/** `[type, nextRunTime, nonce]`: the nonce makes every write change the field, so change streams always report it. */
export type ChangeMark = [type: 'added' | 'updated' | 'released' | 'claimed' | 'extended', nextRunTime: number | null, nonce: string];

type Filter = Record<string, unknown>;
type Pipeline = Record<string, unknown>[];

/** The key order of every due-ordered query, backed by the index `{ n: 1, _id: 1 }`. */
export const DUE_ORDER = { n: 1, _id: 1 } as const;

/** The indexes created at open: due order, next run, lease reclaim by owner. */
export const INDEXES = [
  { key: DUE_ORDER, name: 'due_order' },
  { key: { w: 1 }, name: 'next_run' },
  { key: { b: 1, u: 1 }, name: 'leases' },
] as const;

function wake(n: number | null, u: number | null): number | null {
  if (n === null) return null;
  return u === null ? n : Math.max(n, u + 1);
}

/** A value an update pipeline must take as it is: a string starting with `$` would otherwise name a field. */
const literal = (value: unknown): { $literal: unknown } => ({ $literal: value });

/** The same as `wake`, computed by the server from the fields as an update pipeline left them. */
const WAKE = { $cond: [{ $eq: ['$n', null] }, null, { $max: ['$n', { $add: ['$u', 1] }] }] };

export function toDocument(row: StoredJob, nonce: string): JobDocument {
  return {
    _id: row.id,
    n: row.nextRunTime,
    d: row.data,
    v: row.version,
    b: row.acquiredBy,
    u: row.acquiredUntil,
    w: wake(row.nextRunTime, row.acquiredUntil),
    e: ['added', row.nextRunTime, nonce],
  };
}

/**
 * The row in a document. A document of the wrong shape (written past the store) becomes a row
 * whose data cannot be decoded, so reads report it as corrupt instead of failing or guessing.
 */
export function fromDocument(doc: Partial<Record<keyof JobDocument, unknown>> & { _id: unknown }): StoredJob {
  const id = String(doc._id);
  const n = typeof doc.n === 'number' ? doc.n : null;
  const b = typeof doc.b === 'string' ? doc.b : null;
  const u = typeof doc.u === 'number' ? doc.u : null;
  const well = typeof doc.d === 'string' && typeof doc.v === 'number' && (doc.n === null || typeof doc.n === 'number');
  return { id, nextRunTime: n, data: well ? (doc.d as string) : '', version: typeof doc.v === 'number' ? doc.v : 0, acquiredBy: b, acquiredUntil: u };
}

/** Strictly after `after` in (n, _id) order; paused jobs (n null) never match. */
function afterInDueOrder(after: ListPosition | null): Filter {
  if (after === null) return {};
  if (after.nextRunTime === null) return { _id: { $exists: false } };
  return { $or: [{ n: { $gt: after.nextRunTime } }, { n: after.nextRunTime, _id: { $gt: after.id } }] };
}

/** Scheduled jobs after `after`, in due order (the first half of a listing). */
export function scheduledFilter(after: ListPosition | null): Filter {
  return { n: { $ne: null }, ...afterInDueOrder(after) };
}

/** Paused jobs after `after`, by id (the second half of a listing); string ids only, which leaves the change marker out. */
export function pausedFilter(after: ListPosition | null): Filter {
  return { n: null, _id: after !== null && after.nextRunTime === null ? { $type: 'string', $gt: after.id } : { $type: 'string' } };
}

export function dueFilter(now: number, after: ListPosition | null): Filter {
  const filter: Filter = { n: { $lte: now } };
  return after === null ? filter : { $and: [filter, afterInDueOrder(after)] };
}

/** Jobs `owner` may claim at `now`: due, and free, its own, or under an ended lease. */
function claimable(owner: string, now: number): Filter {
  return { n: { $lte: now }, $or: [{ b: null }, { b: owner }, { u: { $lt: now } }] };
}

/** Candidates for a claim, leaving out what this same claim (`token`) already took. */
export function candidatesFilter(owner: string, now: number, token: string): Filter {
  return { ...claimable(owner, now), t: { $ne: token } };
}

/**
 * The condition and write of claiming one job: it is applied only if the job is still
 * claimable, atomically, so of two racing claims at most one matches.
 */
export function claimOne(id: string, owner: string, now: number, leaseUntil: number, token: string, nonce: string): { filter: Filter; update: Pipeline } {
  return {
    filter: { _id: id, ...claimable(owner, now) },
    update: [{ $set: { b: literal(owner), u: leaseUntil, t: literal(token), e: ['claimed', '$n', literal(nonce)] } }, { $set: { w: WAKE } }],
  };
}

/** updateJob: the changes, version + 1, lease kept. */
export function updateWrite(id: string, changes: RowChanges, expectedVersion: number | undefined, nonce: string): { filter: Filter; update: Pipeline } {
  const set: Record<string, unknown> = { v: { $add: ['$v', 1] } };
  if (changes.nextRunTime !== undefined) set['n'] = literal(changes.nextRunTime);
  if (changes.data !== undefined) set['d'] = literal(changes.data);
  return {
    filter: expectedVersion === undefined ? { _id: id } : { _id: id, v: expectedVersion },
    update: [{ $set: set }, { $set: { w: WAKE, e: ['updated', '$n', literal(nonce)] } }],
  };
}

/** The condition of a release: held by `owner`, at `expectedVersion` when given. */
export function releaseFilter(id: string, owner: string, expectedVersion: number | undefined): Filter {
  return expectedVersion === undefined ? { _id: id, b: owner } : { _id: id, b: owner, v: expectedVersion };
}

/** releaseJob that keeps the job: next run time (and data), version + 1, lease cleared. */
export function releaseUpdate(change: Exclude<RowRelease, 'remove'>, nonce: string): Pipeline {
  const n = literal(change.nextRunTime);
  const set: Record<string, unknown> = { n, v: { $add: ['$v', 1] }, b: null, u: null, t: null, w: n, e: ['released', n, literal(nonce)] };
  if (change.data !== undefined) set['d'] = literal(change.data);
  return [{ $set: set }];
}

export function extendWrite(ids: readonly string[], owner: string, leaseUntil: number, nonce: string): { filter: Filter; update: Pipeline } {
  return {
    filter: { _id: { $in: [...ids] }, b: owner },
    update: [{ $set: { u: leaseUntil, e: ['extended', '$n', literal(nonce)] } }, { $set: { w: WAKE } }],
  };
}

/** A change-stream event, as far as the store reads it. */
export interface StreamChange {
  readonly operationType: string;
  readonly documentKey?: { readonly _id?: unknown };
  readonly fullDocument?: { readonly e?: unknown; readonly n?: unknown } | null;
  readonly updateDescription?: { readonly updatedFields?: { readonly e?: unknown } };
}

/** What subscribers hear of a change-stream event (claims and lease extensions: nothing). */
export function eventOf(change: StreamChange): DriverEvent[] {
  const id = change.documentKey?._id;
  if (typeof id !== 'string') return [];
  if (change.operationType === 'delete') return [{ type: 'removed', jobId: id }];
  const mark =
    change.operationType === 'insert'
      ? change.fullDocument?.e
      : change.operationType === 'update' || change.operationType === 'replace'
        ? (change.updateDescription?.updatedFields?.e ?? change.fullDocument?.e)
        : undefined;
  if (!Array.isArray(mark)) return [];
  const [type, n] = mark as unknown[];
  if ((type === 'added' || type === 'updated' || type === 'released') && (n === null || typeof n === 'number')) return [{ type, jobId: id, nextRunTime: n }];
  return [];
}
