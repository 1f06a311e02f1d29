import { isNetworkError } from '@jobstore/core';

const NAMES = new Set(['GRPCUnavailableError', 'GRPCDeadlineExceededError', 'GRPCCancelledError', 'GRPCConnectFailedError', 'BrokenCircuitError', 'IsolatedCircuitError', 'TaskCancelledError']);
// etcd's own "try again": an election under way, a slow disk, a member catching up.
const MESSAGES =
  /leader changed|no leader|request timed out|too many requests|timed out waiting for read index|not capable|server is stopping|connection refused|No connection established|Connection dropped|Failed to connect|UNAVAILABLE|DEADLINE_EXCEEDED/i;

/** Is this etcd being away (down, restarting, electing a leader) rather than a refused request? */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isNetworkError(error)) return true;
  const { name, message } = error as { name?: unknown; message?: unknown };
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if ((typeof name === 'string' && NAMES.has(name)) || (typeof className === 'string' && NAMES.has(className))) return true;
  return typeof message === 'string' && MESSAGES.test(message);
}

/**
 * Did etcd refuse a request for its size? Over `--max-request-bytes` the server answers "request
 * is too large"; far over it, gRPC itself refuses the message (RESOURCE_EXHAUSTED).
 */
export function isTooLarge(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { message } = error as { message?: unknown };
  return typeof message === 'string' && /request is too large|received message larger than max|RESOURCE_EXHAUSTED/i.test(message);
}
