import type { ListPosition } from './driver.js';
import { InvalidArgumentError } from './errors.js';
import { jobIdProblem } from './ids.js';
import { MAX_TIME, MIN_TIME } from './validate.js';

/** Listing cursors are opaque to callers: base64url of the last row's sort key. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.nextRunTime, position.id]), 'utf8').toString('base64url');
}

/**
 * The position a cursor names, checked as the row it came from was: a job id by the id rule and a
 * time in 1970..9999 (or null). A cursor no row could have made (forged, or damaged) is refused
 * here with InvalidArgumentError, before it reaches a query: an id with a NUL would otherwise
 * reach PostgreSQL, which refuses it with the driver's own error.
 */
export function decodeCursor(cursor: string, operation: string): ListPosition {
  const refuse = (why: string): never => {
    throw new InvalidArgumentError(`${operation}: cursor is not one that listJobs returned${why}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse('');
  }
  if (!Array.isArray(value) || value.length !== 2) return refuse('');
  const [time, id] = value as [unknown, unknown];
  if (time !== null && !(Number.isSafeInteger(time) && (time as number) >= MIN_TIME && (time as number) <= MAX_TIME)) {
    return refuse(' (its time is not a time a job can have)');
  }
  const problem = jobIdProblem(id);
  if (problem !== null) return refuse(` (the job id it names ${problem})`);
  return { nextRunTime: time as number | null, id: id as string };
}
