import { resolve } from 'node:path';
import { environmentOverrides, loadConfig, type ServiceConfig } from '../config.js';
import { startService, type RunningService } from '../service.js';
import type { Command } from './args.js';
import { printBanner } from './banner.js';
import { readConfigFile } from './config-file.js';
import { describeError, UserError } from './errors.js';
import { consoleLogger, fail } from './output.js';
import { stopOnSignals } from './stop-on-signals.js';

/** Seconds a shutdown waits for running jobs unless the configuration or --shutdown-timeout says. */
const DEFAULT_SHUTDOWN_TIMEOUT = 30;

/** What the default store, a SQLite file, needs besides @jobstore/http: the application installs them, as for any store. */
const SQLITE_PACKAGES = ['@jobstore/store-sql', 'kysely', 'better-sqlite3'];

/** An error of the default store that one of its packages is missing, saying what to install (or to give a config). */
export function withSqliteHint(error: unknown): unknown {
  if (!(error instanceof Error) || !SQLITE_PACKAGES.some((name) => error.message.includes(name))) return error;
  return new UserError(
    `without a config, jobs live in ./jobstore.db (SQLite), which needs ${SQLITE_PACKAGES.join(', ')}: npm install ${SQLITE_PACKAGES.join(' ')} (or give another store with --config); ${error.message}`,
  );
}

/** `jobstore serve`: starts the service, and resolves with the exit status once it has stopped. */
export async function serve(command: Extract<Command, { kind: 'serve' }>): Promise<number> {
  let service: RunningService;
  let config: ServiceConfig;
  let banner: Parameters<typeof printBanner>[1];
  let onDefaultStore = false;
  try {
    const file = command.config === undefined ? undefined : await readConfigFile(command.config);
    const database = resolve('jobstore.db');
    const source = file?.source ?? { SCHEDULER_JOBSTORES: { default: { type: 'sql', url: `sqlite:${database}` } } };
    // An option beats the variable: a variable it overrides is not read (nor refused).
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !Object.hasOwn(command.settings, key)));
    config = { ...loadConfig(source, env, { sourceName: file?.name ?? 'the default configuration' }), ...command.settings };
    const fromEnvironment = environmentOverrides(env);
    banner = { file: file?.name, database: file === undefined && !fromEnvironment.includes('SCHEDULER_JOBSTORES') ? database : undefined, fromEnvironment };
    onDefaultStore = banner.database !== undefined;
    service = await startService(config, { baseDir: file?.baseDir ?? process.cwd(), logger: consoleLogger });
  } catch (error) {
    fail(describeError(onDefaultStore ? withSqliteHint(error) : error));
    return 1;
  }
  // Signals are handled before the banner says Ctrl-C stops it.
  const stopped = stopOnSignals(service, (config.SCHEDULER_SHUTDOWN_TIMEOUT ?? DEFAULT_SHUTDOWN_TIMEOUT) * 1000);
  await printBanner(service, banner);
  return stopped;
}
