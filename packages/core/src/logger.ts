import { describeValue } from './describe.js';
import { InvalidArgumentError } from './errors.js';

/** What goes with a log message: the store, the namespace, a job id, an error. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where a store reports what it cannot throw to a caller: a record it passed by, a listener that
 * threw, a server that keeps nothing on disk, jobs that vanished behind its back. `console`
 * satisfies it, and so does pino, given as it is: a pino logger gets the fields first, as pino's
 * own fields (an error under `err`, where pino's serializer finds it).
 */
export interface Logger {
  debug?(message: string, fields?: LogFields): void;
  info?(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The options every store accepts, whatever its backend. */
export interface StoreOptions {
  /**
   * Where the store reports what it cannot throw. By default warnings and errors go to stderr, one
   * line each (`[jobstore] warn: <message> {<fields as JSON>}`); `false` says nothing at all.
   */
  readonly logger?: Logger | false;
}

/** Errors become their stack (or name and message), and BigInts their digits, so JSON keeps them. */
function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One line: the message with its line breaks escaped, then the fields as JSON (which escapes its own). */
export function formatLogLine(level: string, message: string, fields?: LogFields): string {
  const text = message.replace(/\r?\n/g, '\\n');
  if (fields === undefined || Object.keys(fields).length === 0) return `[jobstore] ${level}: ${text}\n`;
  let json: string;
  try {
    json = JSON.stringify(fields, jsonValue);
  } catch {
    json = JSON.stringify(describeValue(fields));
  }
  return `[jobstore] ${level}: ${text} ${json}\n`;
}

/**
 * pino (and loggers made with it) take the fields first, `log.warn({ jobId }, 'message')`, and
 * serialize an Error under `err`; a pino logger is known by its `levels`, `bindings` and `child`.
 */
function isPino(logger: object): boolean {
  const { levels, bindings, child } = logger as { levels?: unknown; bindings?: unknown; child?: unknown };
  return typeof levels === 'object' && levels !== null && 'values' in levels && typeof bindings === 'function' && typeof child === 'function';
}

function pinoFields(fields: LogFields): LogFields {
  if (!('error' in fields) || 'err' in fields) return fields;
  const { error, ...rest } = fields;
  return { ...rest, err: error };
}

/** The default: warnings and errors to stderr, one line each; debug and info nowhere. */
export const stderrLogger: Logger = {
  warn: (message, fields) => void process.stderr.write(formatLogLine('warn', message, fields)),
  error: (message, fields) => void process.stderr.write(formatLogLine('error', message, fields)),
};

const silentLogger: Logger = { warn: () => undefined, error: () => undefined };

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * The logger a `logger` option names: the default for undefined, a silent one for `false`, else the
 * given one, checked, and wrapped so that a logger that throws cannot break the store that calls it.
 */
export function resolveLogger(option: unknown, owner: string): Logger {
  if (option === undefined) return stderrLogger;
  if (option === false) return silentLogger;
  const given = option as Record<(typeof LEVELS)[number], unknown>;
  const valid =
    typeof option === 'object' &&
    option !== null &&
    typeof given.warn === 'function' &&
    typeof given.error === 'function' &&
    (given.debug === undefined || typeof given.debug === 'function') &&
    (given.info === undefined || typeof given.info === 'function');
  if (!valid) {
    throw new InvalidArgumentError(`${owner}: logger must have warn and error methods (console, pino, or your own), or be false to log nothing; got ${describeValue(option)}`);
  }
  const logger = option as Logger;
  const fieldsFirst = isPino(option);
  const safe = (level: (typeof LEVELS)[number]) => (message: string, fields?: LogFields) => {
    try {
      if (fields === undefined) logger[level]?.(message);
      else if (fieldsFirst) (logger[level] as ((fields: LogFields, message: string) => void) | undefined)?.(pinoFields(fields), message);
      else logger[level]?.(message, fields);
    } catch {
      // A broken logger loses its line; the store goes on.
    }
  };
  return { debug: safe('debug'), info: safe('info'), warn: safe('warn'), error: safe('error') };
}
