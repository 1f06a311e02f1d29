import type { DriverEvent } from './driver.js';

/**
 * A change notification as backends send it between processes (PostgreSQL NOTIFY, Redis
 * PUBLISH): `{"t": type, "id": jobId, "n": nextRunTime}`, or for a batch of releases
 * `{"t": "batch", "r": [[jobId, nextRunTime, removed], ...]}`. Anything else is ignored.
 */
export function parseChangeMessage(payload: string): DriverEvent[] {
  try {
    const { t, id, n, r } = JSON.parse(payload) as { t?: unknown; id?: unknown; n?: unknown; r?: unknown };
    if (t === 'cleared') return [{ type: 'cleared' }];
    if (t === 'batch' && Array.isArray(r)) return r.flatMap((entry: unknown) => (Array.isArray(entry) ? batchEvent(entry) : []));
    if (typeof id !== 'string') return [];
    if (t === 'removed') return [{ type: 'removed', jobId: id }];
    if ((t === 'added' || t === 'updated' || t === 'released') && (n === null || typeof n === 'number')) {
      return [{ type: t, jobId: id, nextRunTime: n }];
    }
  } catch {
    // not ours
  }
  return [];
}

function batchEvent([id, n, removed]: unknown[]): DriverEvent[] {
  if (typeof id !== 'string') return [];
  if (removed === true) return [{ type: 'removed', jobId: id }];
  return n === null || typeof n === 'number' ? [{ type: 'released', jobId: id, nextRunTime: n }] : [];
}
