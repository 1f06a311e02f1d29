import { isNetworkError } from '@jobstore/core';

const MESSAGES =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries|Reached the max retries|CLUSTERDOWN|TRYAGAIN|LOADING|READONLY|MASTERDOWN|Failed to refresh slots cache|None of startup nodes is available|Connection lost/i;

/** Is this Redis being away (down, restarting, failing over) rather than a bad command? */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isNetworkError(error)) return true;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'MaxRetriesPerRequestError' || name === 'ClusterAllFailedError') return true;
  return typeof message === 'string' && MESSAGES.test(message);
}
