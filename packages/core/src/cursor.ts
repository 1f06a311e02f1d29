import type { ListPosition } from './driver.js';
import { InvalidArgumentError } from './errors.js';

/** Listing cursors are opaque to callers: base64url of the last row's sort key. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.nextRunTime, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, operation: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && (value[0] === null || Number.isSafeInteger(value[0]))) {
      return { nextRunTime: value[0] as number | null, id: value[1] };
    }
  } catch {
    // falls through to the typed error
  }
  throw new InvalidArgumentError(`${operation}: cursor is not one that listJobs returned`);
}
