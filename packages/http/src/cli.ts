#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type ServiceConfig } from './config.js';
import { startService } from './service.js';

const USAGE = `usage: jobstore serve [--config <file>] [--port <n>] [--host <address>]

  Starts a scheduler with the REST API and the dashboard.
  --config  a JSON file, or a JS module exporting the configuration as default
            (SCHEDULER_JOBSTORES, SCHEDULER_EXECUTORS, SCHEDULER_JOB_DEFAULTS, SCHEDULER_TIMEZONE,
            SCHEDULER_API_ENABLED, SCHEDULER_API_PREFIX, SCHEDULER_AUTH, JOBS, TASKS, HOST, PORT);
            environment variables of the same names override it.
            Without one: the jobs live in ./jobstore.db (SQLite).
  --port    default 5000 (PORT)          --host  default 127.0.0.1 (HOST)`;

async function readConfig(file: string | undefined): Promise<{ source: Record<string, unknown>; baseDir: string }> {
  if (file === undefined) {
    return { source: { SCHEDULER_JOBSTORES: { default: { type: 'sql', url: `sqlite:${resolve('jobstore.db')}` } } }, baseDir: process.cwd() };
  }
  const path = resolve(file);
  const source = path.endsWith('.json') ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : ((await import(pathToFileURL(path).href)) as { default: Record<string, unknown> }).default;
  return { source, baseDir: dirname(path) };
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true || positionals[0] !== 'serve' || positionals.length > 1) {
    console.log(USAGE);
    process.exitCode = values.help === true ? 0 : 2;
    return;
  }
  const { source, baseDir } = await readConfig(values.config);
  const overrides: Record<string, unknown> = {};
  if (values.port !== undefined) overrides['PORT'] = Number(values.port);
  if (values.host !== undefined) overrides['HOST'] = values.host;
  const config: ServiceConfig = { ...loadConfig(source), ...loadConfig(overrides, {}) };
  const service = await startService(config, { baseDir });
  const jobs = await service.scheduler.getJobs();
  console.log(`jobstore: scheduler ${service.scheduler.state} with ${jobs.length} job(s)`);
  if (service.url !== undefined) {
    console.log(`jobstore: API at ${service.url}   dashboard at ${service.url}/dashboard`);
    if (service.generatedToken !== undefined) console.log(`jobstore: no SCHEDULER_AUTH set; this run's bearer token is ${service.generatedToken}`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('jobstore: shutting down');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`jobstore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
