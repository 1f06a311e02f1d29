/**
 * Where the service reports what it does: pino, `console`, or anything with these methods. Each
 * call gets one line of text; `false` in place of a logger silences the service.
 */
export interface ServiceLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The default: warnings and errors to stderr, nothing else. */
export const stderrLogger: ServiceLogger = {
  info: () => undefined,
  warn: (message) => void process.stderr.write(`${message}\n`),
  error: (message) => void process.stderr.write(`${message}\n`),
};

const silent: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The logger an option names: the default when undefined, a silent one for `false`. */
export function resolveLogger(option: ServiceLogger | false | undefined): ServiceLogger {
  if (option === false) return silent;
  return option ?? stderrLogger;
}
