import { JobStoreError } from '@jobstore/core';

/** Which usage goes with a usage error. */
export type UsageTopic = 'main' | 'serve';

/** The command line is wrong: reported with the usage, exit status 2. */
export class UsageError extends Error {
  readonly topic: UsageTopic;

  constructor(message: string, topic: UsageTopic) {
    super(message);
    this.name = 'UsageError';
    this.topic = topic;
  }
}

/** Something the user can fix (a config file that is missing or wrong): reported without a stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
  readonly hostname?: string;
}

const isSystemError = (error: unknown): error is SystemError => error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

const LISTEN_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use (another jobstore serve? choose another port with --port or PORT)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'this machine has no such address',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name cannot be resolved now',
};

/**
 * An error as one message for stderr. Errors the user can act on (configuration, stores,
 * system calls) are their message alone; anything else is unexpected, and keeps its stack.
 */
export function describeError(error: unknown): string {
  if (error instanceof UserError || error instanceof UsageError || error instanceof JobStoreError) return error.message;
  if (isSystemError(error)) {
    const reason = LISTEN_REASONS[error.code];
    if (reason !== undefined && (error.syscall === 'listen' || error.syscall === 'getaddrinfo')) {
      const where = error.syscall === 'getaddrinfo' ? (error.hostname ?? '') : `${error.address ?? ''}:${error.port ?? ''}`;
      return `cannot listen on ${where}: ${reason}`;
    }
    return error.message;
  }
  if (error instanceof Error) return `unexpected error: ${error.stack ?? error.message}`;
  return `unexpected error: ${String(error)}`;
}
