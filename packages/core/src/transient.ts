import { JobStoreError, StoreUnavailableError } from './errors.js';

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
