import { guardTransient, isNetworkError } from '@jobstore/core';

const MYSQL_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_WAIT_TIMEOUT']);
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);
const MESSAGES = /Connection terminated|connection error|Connection lost|timeout exceeded when trying to connect|Can't add new command when connection is in closed state|terminating connection/i;

/**
 * Is this a failure of the connection or the server rather than of the query? Such errors are
 * worth retrying once the server is back: PostgreSQL's connection-exception class (08) and
 * shutdown codes, mysql2's lost connections, SQLite's busy database, and network errors.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isNetworkError(error)) return true;
  const { code, fatal, message } = error as { code?: unknown; fatal?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (MYSQL_CODES.has(code) || SQLITE_CODES.has(code)) return true;
    if (/^08...$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  }
  if (fatal === true) return true;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** Runs `work`, turning a transient failure into StoreUnavailableError; JobStoreErrors pass through. */
export function guard<T>(store: string, operation: string, work: () => Promise<T>): Promise<T> {
  return guardTransient(store, operation, isTransient, work);
}
