import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '@jobstore/core';
import { Scheduler } from '@jobstore/scheduler';
import { toNodeListener } from './adapters/node.js';
import type { AuthOption } from './auth.js';
import { authFromConfig, schedulerOptions, type ServiceConfig } from './config.js';
import { createJobstoreHandler } from './handler.js';
import { resolveLogger, type ServiceLogger } from './logger.js';
import { syncConfigJobs } from './config-jobs.js';
import { newJobSchema, parseBody } from './schemas.js';
import { reportUnrunnable } from './unrunnable-report.js';
import { closeWithin, type CloseOptions, type ShutdownTimeoutError } from './shutdown.js';

/** Seconds close() waits for running jobs when the configuration does not say. */
const DEFAULT_SHUTDOWN_TIMEOUT = 30;

/** Seconds a client has for its headers, and for its whole request (Node's own defaults, 60 and 300, let slow clients hold memory long). */
const DEFAULT_HEADERS_TIMEOUT = 10;
const DEFAULT_REQUEST_TIMEOUT = 30;
/** Connections held at once; past it Node closes new ones at once. */
const DEFAULT_MAX_CONNECTIONS = 1000;

/** Names a loopback address answers to: a page on any other name that resolves to 127.0.0.1 is a DNS-rebinding attack. */
const LOOPBACK_NAMES = ['localhost', '*.localhost', '127.0.0.1', '::1'];

function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name) || name === '::ffff:127.0.0.1';
}

/** The handler's `hosts`: those configured, plus the loopback names when bound to loopback; none set means any host, except on loopback. */
function apiHosts(bind: string, configured: readonly string[] | undefined): { hosts?: readonly string[] } {
  if (isLoopback(bind)) return { hosts: [...LOOPBACK_NAMES, bind.replace(/^\[|\]$/g, ''), ...(configured ?? [])] };
  return configured === undefined ? {} : { hosts: configured };
}

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** Where relative task paths and `module:export` references are resolved from. Default: the working directory. */
  readonly baseDir?: string;
  /** Where the service reports what it does. Default: warnings and errors to stderr; `false` silences it. */
  readonly logger?: ServiceLogger | false;
}

/** A running service: the scheduler, and the HTTP server when the API is on. */
export interface RunningService {
  readonly scheduler: Scheduler;
  readonly server: Server | undefined;
  /** Base URL of the API, e.g. `http://127.0.0.1:5000/scheduler`. */
  readonly url: string | undefined;
  /** The token the service made because the configuration set no auth; else undefined. */
  readonly generatedToken: string | undefined;
  /**
   * Stops serving, then shuts the scheduler down, waiting for running jobs up to the shutdown
   * timeout (`SCHEDULER_SHUTDOWN_TIMEOUT`, 30 s by default); past it, rejects with
   * {@link ShutdownTimeoutError} naming the runs still going on. Calling it again returns the
   * same promise.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Starts what `jobstore serve` runs: the scheduler from the configuration, its task modules,
 * the JOBS (added when missing, updated where their entry changed in the file, else left as
 * they are), and the REST API with the dashboard. Stored jobs this process cannot run are
 * reported in one warning.
 */
export async function startService(config: ServiceConfig, options: ServiceOptions = {}): Promise<RunningService> {
  const baseDir = options.baseDir ?? process.cwd();
  const logger = resolveLogger(options.logger);
  // baseDir: a stored `./tasks.mjs:x` is the task of that file next to the config, however TASKS spells it.
  // The scheduler logs job errors, missed runs and stores gone and back: to the service's logger
  // when one was given (false silences both), else to its own default (stderr, with the stack).
  const scheduler = new Scheduler({ ...schedulerOptions(config), baseDir, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  let api: Awaited<ReturnType<typeof serveApi>> | undefined;
  try {
    // The port first: a port already taken stops the service before it wrote a JOBS entry into a
    // store that other processes may share, and before any job ran.
    api = config.SCHEDULER_API_ENABLED === false ? undefined : await serveApi(scheduler, config, options.logger);
    for (const specifier of config.TASKS ?? []) await scheduler.importTasks(specifier, { prefix: specifier });
    const entries = (config.JOBS ?? []).map((job) => parseBody(newJobSchema, job));
    for (const [i, body] of entries.entries()) await importJobTask(scheduler, body.func, baseDir, `JOBS[${i}]${body.id === undefined ? '' : ` ${JSON.stringify(body.id)}`}`);
    await syncConfigJobs(scheduler, entries, logger);
    await reportUnrunnable(scheduler, logger, config.SCHEDULER_API_ENABLED === false ? undefined : (config.SCHEDULER_API_PREFIX ?? '/scheduler'));
    await scheduler.start();
  } catch (error) {
    if (api !== undefined) {
      api.server.closeAllConnections();
      api.server.close();
    }
    await scheduler.shutdown({ wait: false }).catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (stopServing: () => Promise<void>, options: CloseOptions = {}): Promise<void> => {
    closing ??= closeWithin(stopServing, scheduler, options.timeoutMs ?? (config.SCHEDULER_SHUTDOWN_TIMEOUT ?? DEFAULT_SHUTDOWN_TIMEOUT) * 1000);
    return closing;
  };
  if (api === undefined) {
    return { scheduler, server: undefined, url: undefined, generatedToken: undefined, close: (options) => close(async () => undefined, options) };
  }
  const { server } = api;
  return {
    scheduler,
    server,
    url: api.url,
    generatedToken: api.generatedToken,
    close: (options) =>
      close(async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      }, options),
  };
}

/** Makes sure the task a JOBS entry names is registered: `module:export` imports its module, as Flask-APScheduler's func references do. */
async function importJobTask(scheduler: Scheduler, func: string, baseDir: string, where: string): Promise<void> {
  if (scheduler.getTask(func) !== undefined) return;
  const split = func.lastIndexOf(':');
  if (split > 0) {
    const specifier = func.slice(0, split);
    try {
      await scheduler.importTasks(specifier, { prefix: specifier });
    } catch (error) {
      throw new InvalidArgumentError(`${where}: func: cannot import ${JSON.stringify(specifier)} (from ${baseDir}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (scheduler.getTask(func) === undefined) {
    const hint =
      split > 0
        ? `${JSON.stringify(func.slice(0, split))} has no exported function ${JSON.stringify(func.slice(split + 1))}`
        : 'name a task from TASKS, or a module and its export as "./tasks.mjs:name"';
    throw new InvalidArgumentError(`${where}: func: no task ${JSON.stringify(func)}: ${hint}`);
  }
}

/** The REST API and the dashboard, listening. */
async function serveApi(scheduler: Scheduler, config: ServiceConfig, logger: ServiceLogger | false | undefined): Promise<{ server: Server; url: string; generatedToken: string | undefined }> {
  let auth: AuthOption | undefined = authFromConfig(config);
  let generatedToken: string | undefined;
  if (auth === undefined) {
    generatedToken = randomBytes(24).toString('base64url');
    auth = { bearer: generatedToken };
  }
  const bind = config.HOST ?? '127.0.0.1';
  const handler = createJobstoreHandler(scheduler, {
    auth,
    ...(logger === undefined ? {} : { logger }),
    prefix: config.SCHEDULER_API_PREFIX ?? '/scheduler',
    allowedHosts: config.SCHEDULER_ALLOWED_HOSTS ?? ['*'],
    ...apiHosts(bind, config.SCHEDULER_API_HOSTS),
    trustedOrigins: config.SCHEDULER_API_TRUSTED_ORIGINS ?? [],
    ...(config.SCHEDULER_API_MIN_INTERVAL === undefined ? {} : { minIntervalSeconds: config.SCHEDULER_API_MIN_INTERVAL }),
    ...(config.SCHEDULER_API_MAX_STREAMS === undefined ? {} : { maxEventStreams: config.SCHEDULER_API_MAX_STREAMS }),
  });
  const server = createServer(
    {
      headersTimeout: (config.SCHEDULER_API_HEADERS_TIMEOUT ?? DEFAULT_HEADERS_TIMEOUT) * 1000,
      requestTimeout: Math.max(config.SCHEDULER_API_REQUEST_TIMEOUT ?? DEFAULT_REQUEST_TIMEOUT, config.SCHEDULER_API_HEADERS_TIMEOUT ?? DEFAULT_HEADERS_TIMEOUT) * 1000,
      // Node checks both timeouts on this interval (30 s by default), which would stretch them.
      connectionsCheckingInterval: 1000,
    },
    toNodeListener(handler),
  );
  server.maxConnections = config.SCHEDULER_API_MAX_CONNECTIONS ?? DEFAULT_MAX_CONNECTIONS;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(config.PORT ?? 5000, bind, () => done());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}${handler.prefix}`, generatedToken };
}
