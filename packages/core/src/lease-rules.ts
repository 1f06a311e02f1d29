import type { ReleaseOutcome, StoredJob } from './driver.js';

/**
 * The lease rules every backend decides by, written once in TypeScript. A backend whose claim
 * or release runs on the server (SQL, Lua, a ZooKeeper multi, a Mongo filter) must decide
 * exactly as these functions do; the memory store calls them directly.
 *
 * A row's `acquiredBy` and `acquiredUntil` are set together by a claim and cleared together by
 * a release; a row with an owner but no end (which no store writes) counts as free.
 */

/** The fields of a row the claim rule reads. */
export type LeaseFields = Pick<StoredJob, 'nextRunTime' | 'acquiredBy' | 'acquiredUntil'>;

/**
 * Whether `owner` may claim `row` at `now` (epoch ms): the row is due (`nextRunTime <= now`, a
 * paused row never is) and it is unleased, already leased to `owner`, or its lease has ended
 * (`acquiredUntil < now`: a lease still holds at `now == acquiredUntil`).
 */
export function isClaimable(row: LeaseFields, owner: string, now: number): boolean {
  if (row.nextRunTime === null || row.nextRunTime > now) return false;
  return row.acquiredBy === null || row.acquiredBy === owner || row.acquiredUntil === null || row.acquiredUntil < now;
}

/**
 * Why a release by `owner` must write nothing, or null when it may go ahead. The checks run in
 * this order, and the first that fails is the outcome: the row is missing; `owner` does not hold
 * it (`lost`, with the holder; an ended lease nobody reclaimed is still held); the row is not at
 * `expectedVersion` (`conflict`, with its version).
 */
export function releaseRefusal(
  row: Pick<StoredJob, 'version' | 'acquiredBy'> | null | undefined,
  owner: string,
  expectedVersion: number | undefined,
): Exclude<ReleaseOutcome, { status: 'ok' }> | null {
  if (row === null || row === undefined) return { status: 'missing' };
  if (row.acquiredBy !== owner) return { status: 'lost', holder: row.acquiredBy };
  if (expectedVersion !== undefined && row.version !== expectedVersion) return { status: 'conflict', version: row.version };
  return null;
}

/** Whether `owner` may extend the lease on `row`: it holds it, ended or not. */
export function holdsLease(row: Pick<StoredJob, 'acquiredBy'> | null | undefined, owner: string): boolean {
  return row !== null && row !== undefined && row.acquiredBy === owner;
}
