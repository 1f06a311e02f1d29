import { resolve } from 'node:path';
import { environmentOverrides, loadConfig, type ServiceConfig } from '../config.js';
import { startService, type RunningService } from '../service.js';
import type { Command } from './args.js';
import { printBanner } from './banner.js';
import { readConfigFile } from './config-file.js';
import { describeError } from './errors.js';
import { consoleLogger, fail } from './output.js';
import { stopOnSignals } from './stop-on-signals.js';

/** Seconds a shutdown waits for running jobs unless the configuration or --shutdown-timeout says. */
const DEFAULT_SHUTDOWN_TIMEOUT = 30;

/** `jobstore serve`: starts the service, and resolves with the exit status once it has stopped. */
export async function serve(command: Extract<Command, { kind: 'serve' }>): Promise<number> {
  let service: RunningService;
  let config: ServiceConfig;
  let banner: Parameters<typeof printBanner>[1];
  try {
    const file = command.config === undefined ? undefined : await readConfigFile(command.config);
    const database = resolve('jobstore.db');
    const source = file?.source ?? { SCHEDULER_JOBSTORES: { default: { type: 'sql', url: `sqlite:${database}` } } };
    // An option beats the variable: a variable it overrides is not read (nor refused).
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !Object.hasOwn(command.settings, key)));
    config = { ...loadConfig(source, env, { sourceName: file?.name ?? 'the default configuration' }), ...command.settings };
    const fromEnvironment = environmentOverrides(env);
    banner = { file: file?.name, database: file === undefined && !fromEnvironment.includes('SCHEDULER_JOBSTORES') ? database : undefined, fromEnvironment };
    service = await startService(config, { baseDir: file?.baseDir ?? process.cwd(), logger: consoleLogger });
  } catch (error) {
    fail(describeError(error));
    return 1;
  }
  // Signals are handled before the banner says Ctrl-C stops it.
  const stopped = stopOnSignals(service, (config.SCHEDULER_SHUTDOWN_TIMEOUT ?? DEFAULT_SHUTDOWN_TIMEOUT) * 1000);
  await printBanner(service, banner);
  return stopped;
}
