import { describeValue } from './describe.js';

/**
 * Every error a store throws on purpose is a JobStoreError, so callers can tell
 * "the store refused this" from a bug with one `instanceof`.
 */
export class JobStoreError extends Error {
  /** The store's label (`"<backend>:<namespace>"`), when the error comes from a store. */
  readonly store: string | undefined;
  /** The job the error is about, when there is one. */
  readonly jobId: string | undefined;

  constructor(message: string, options: { store?: string; jobId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.store = options.store;
    this.jobId = options.jobId;
  }
}

/** JSON.stringify quotes and escapes an id, so odd ids (`"a b"`, `"\n"`) stay readable in a message. */
export function quoteId(id: string): string {
  return JSON.stringify(id);
}

/** The reason a non-Error `cause` gives: a thrown string as it is, anything else described safely. */
function reasonOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : describeValue(cause);
}

function where(store: string, operation: string): string {
  return `in store ${quoteId(store)} (${operation})`;
}

/** addJob was given an id that is already taken; the existing job is untouched. */
export class ConflictingIdError extends JobStoreError {
  constructor(store: string, jobId: string, operation = 'addJob') {
    super(`a job with id ${quoteId(jobId)} already exists ${where(store, operation)}`, { store, jobId });
  }
}

/** The job does not exist (or no longer exists). */
export class JobLookupError extends JobStoreError {
  constructor(store: string, jobId: string, operation: string) {
    super(`no job ${quoteId(jobId)} ${where(store, operation)}`, { store, jobId });
  }
}

/** An optimistic write named a version the job no longer has; nothing was written. */
export class VersionConflictError extends JobStoreError {
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(store: string, jobId: string, operation: string, expectedVersion: number, actualVersion: number) {
    super(`job ${quoteId(jobId)} is at version ${actualVersion}, not the expected ${expectedVersion} ${where(store, operation)}; read it again and retry`, { store, jobId });
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * The caller no longer holds the job's lease: another owner reclaimed it, or it was never held.
 * Nothing was written, so a reclaimed job is never overwritten by a scheduler that lost it.
 */
export class LeaseLostError extends JobStoreError {
  readonly owner: string;
  /** Who holds the lease now, or null when nobody does. */
  readonly holder: string | null;

  constructor(store: string, jobId: string, operation: string, owner: string, holder: string | null) {
    const now = holder === null ? 'nobody holds its lease' : `its lease is held by ${quoteId(holder)}`;
    super(`${quoteId(owner)} does not hold job ${quoteId(jobId)}: ${now} ${where(store, operation)}`, { store, jobId });
    this.owner = owner;
    this.holder = holder;
  }
}

/** Job data cannot be encoded losslessly, or stored text cannot be decoded; `path` names where. */
export class SerializationError extends JobStoreError {
  /** Where the value sits, e.g. `args[1].callback`; empty for the data object itself. */
  readonly path: string;

  /** `encode`: the value was refused before anything was written; `decode`: stored text was not understood. */
  readonly direction: 'encode' | 'decode';

  constructor(path: string, reason: string, jobId?: string, direction: 'encode' | 'decode' = 'encode', store?: string, cause?: unknown) {
    const at = path === '' ? 'job data' : `job data at ${path}`;
    const job = jobId === undefined ? '' : ` of job ${quoteId(jobId)}`;
    const verb = direction === 'encode' ? 'cannot serialize' : 'cannot decode';
    super(`${verb} ${at}${job}: ${reason}`, {
      ...(jobId === undefined ? {} : { jobId }),
      ...(store === undefined ? {} : { store }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.path = path;
    this.direction = direction;
  }
}

/**
 * A job's data takes more bytes than the backend accepts in one write (MySQL's and MariaDB's
 * `max_allowed_packet`, for one). Refused before it was sent, or refused whole by the server:
 * nothing stored changed. Retrying cannot help; raise the server's limit or make the data smaller
 * (keep a large payload elsewhere and store a reference to it).
 */
export class JobTooLargeError extends SerializationError {
  readonly operation: string;
  /** The bytes the write needs (the data as the backend's statement carries it). */
  readonly size: number;
  /** The most the backend accepts in one write, in bytes. */
  readonly limit: number;
  /** What sets the limit, e.g. the server variable `max_allowed_packet`. */
  readonly setting: string;

  constructor(store: string, jobId: string, operation: string, size: number, limit: number, setting: string, cause?: unknown) {
    const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;
    super('', `the write takes ${bytes(size)}, more than the ${bytes(limit)} the server accepts (${setting}) ${where(store, operation)}; nothing was written`, jobId, 'encode', store, cause);
    this.operation = operation;
    this.size = size;
    this.limit = limit;
    this.setting = setting;
  }
}

/**
 * A stored record cannot be decoded (written by a newer release, damaged, or written behind
 * the store's back). The record is kept: reads skip and report it; only removeJob deletes it.
 */
export class CorruptJobError extends JobStoreError {
  readonly operation: string;

  constructor(store: string, jobId: string, operation: string, cause: unknown) {
    const reason = reasonOf(cause);
    super(`job ${quoteId(jobId)} ${where(store, operation)} cannot be decoded and was left as stored: ${reason}`, { store, jobId, cause });
    this.operation = operation;
  }
}

/** An argument is malformed (an id, a time, an option, a namespace); nothing was written. */
export class InvalidArgumentError extends JobStoreError {
  constructor(message: string, options: { store?: string; jobId?: string } = {}) {
    super(message, options);
  }
}

/** The store was closed; open a new one. */
export class StoreClosedError extends JobStoreError {
  constructor(store: string, operation: string) {
    super(`store ${quoteId(store)} is closed (${operation})`, { store });
  }
}

/**
 * The backend could not be reached or dropped the connection. The call may or may not have
 * taken effect; the store keeps working once the server is back.
 */
export class StoreUnavailableError extends JobStoreError {
  constructor(store: string, operation: string, cause: unknown) {
    const reason = reasonOf(cause);
    super(`store ${quoteId(store)} is unavailable (${operation}): ${reason}`, { store, cause });
  }
}

/** A trigger was given an invalid expression or option; `field` and `value` say which. */
export class InvalidTriggerError extends InvalidArgumentError {
  readonly field: string;
  readonly value: unknown;

  constructor(trigger: string, field: string, value: unknown, reason: string) {
    // describeValue never throws, whatever the value (a null-prototype object, a throwing toPrimitive).
    super(`${trigger} trigger: invalid ${field} ${describeValue(value)}: ${reason}`);
    this.field = field;
    this.value = value;
  }
}
