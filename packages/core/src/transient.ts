import { JobStoreError, StoreUnavailableError } from './errors.js';

/** Node's codes for a connection refused, cut, timed out or a host that cannot be found or reached. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether `error` is Node's report of the network failing (a connection refused, reset or timed
 * out, a host not found or unreachable: `ECONNREFUSED`, `ECONNRESET`, `ECONNABORTED`, `EPIPE`,
 * `ETIMEDOUT`, `ENOTFOUND`, `EHOSTUNREACH`, `ENETUNREACH`, `EAI_AGAIN` as its `code`). Every
 * backend's `isTransient` starts here and adds what its own client and server report.
 */
export function isNetworkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * Runs a backend call, turning a failure of the connection or the server (as `isTransient`, the
 * backend's own judgement, says) into StoreUnavailableError; JobStoreErrors pass through as they are.
 */
export async function guardTransient<T>(store: string, operation: string, isTransient: (error: unknown) => boolean, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof JobStoreError) && isTransient(error)) throw new StoreUnavailableError(store, operation, error);
    throw error;
  }
}
