/** Server error codes of a primary stepping down, a node shutting down or the network failing. */
const CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436, 262, 10058]);
const NAMES = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoServerClosedError', 'MongoPoolClearedError', 'MongoWriteConcernError']);
const LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'InterruptInUseConnections'];

/** Is this MongoDB being away (down, restarting, electing a primary) rather than a bad request? */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, errorLabels } = error as { name?: unknown; code?: unknown; errorLabels?: unknown };
  if (typeof name === 'string' && NAMES.has(name)) return true;
  if (typeof code === 'number' && CODES.has(code)) return true;
  if (Array.isArray(errorLabels) && errorLabels.some((label) => LABELS.includes(label as string))) return true;
  const labels = (error as { hasErrorLabel?: (label: string) => boolean }).hasErrorLabel;
  return typeof labels === 'function' && LABELS.some((label) => labels.call(error, label));
}

/** MongoDB's duplicate key error. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
