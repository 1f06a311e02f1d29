import { hostname } from 'node:os';
import {
  ConflictingIdError,
  InvalidArgumentError,
  InvalidTriggerError,
  JobLookupError,
  JobTooLargeError,
  resolveLogger,
  SerializationError,
  StoreClosedError,
  StoreUnavailableError,
  VersionConflictError,
  type Logger,
} from '@jobstore/core';
import { JobDataError, MaxInstancesReachedError, SchedulerStateError, TaskLookupError, type JobModification, type Scheduler, type TriggerOptions, type TriggerType } from '@jobstore/scheduler';
import { authenticator, unauthorized, type AuthOption } from './auth.js';
import { dashboardPage } from './dashboard.js';
import { errorJson } from './errors-json.js';
import { EventStreamHub } from './event-hub.js';
import { jobToDict } from './job-json.js';
import { bodyTooDeep, fieldOfDataPath } from './json-value.js';
import { checkMinInterval, minIntervalSeconds } from './min-interval.js';
import { contentTypeRefusal, crossSiteRefusal, hostRefusal, withSecurityHeaders } from './request-guard.js';
import { addJobOptions, BadRequestError, jobChanges, jobChangesSchema, newJobSchema, parseBody, triggerField, triggerOptions } from './schemas.js';

/** Options of {@link createJobstoreHandler}. */
export interface HandlerOptions {
  /** Who may call the API: required, `false` turns authentication off on purpose. */
  readonly auth: AuthOption;
  /**
   * Where a request that failed inside the server (a 500) is logged, with the method, the path and
   * the error's stack: console, pino, or anything with `warn` and `error`; `false` says nothing.
   * Default: stderr, one line.
   */
  readonly logger?: Logger | false;
  /** Where the API lives; default `/scheduler`. */
  readonly prefix?: string;
  /** Serve the dashboard at `<prefix>/dashboard`; default true. */
  readonly dashboard?: boolean;
  /** What `GET <prefix>` reports as allowed_hosts (Flask-APScheduler's SCHEDULER_ALLOWED_HOSTS); default ['*']. */
  readonly allowedHosts?: readonly string[];
  /** Largest request body; default 1 MiB (413 above). */
  readonly maxBodyBytes?: number;
  /**
   * Seconds a client may take none of an answer while more of it waits; it is then disconnected.
   * An event stream's client that stops reading is dropped from the stream at once (see
   * `eventStreamBufferBytes`); this frees its connection too. Default 30.
   */
  readonly clientStallSeconds?: number;
  /**
   * Host names the API answers to (the Host header, port aside): exact names, or `*.example.com`.
   * Others get 421. Default: any host. A server bound to loopback should list only its own names
   * (`jobstore serve` does), or a page on any name resolved to 127.0.0.1 could call it (DNS rebinding).
   */
  readonly hosts?: readonly string[];
  /**
   * Origins (`https://admin.example.com`) whose pages may change things through the API besides
   * its own. Every other cross-site request that is not GET, HEAD or OPTIONS gets 403.
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * Most `GET <prefix>/events` streams open at once; one more is answered 503 (`error:
   * 'unavailable'`) with a Retry-After header. Each stream holds a connection. Default 100.
   */
  readonly maxEventStreams?: number;
  /**
   * Most bytes of events waiting for one stream's client. A client that stops reading, or reads
   * slower than events come, is dropped once more than this waits for it (its stream ends with a
   * comment saying why; the dashboard reconnects). Events are encoded once and shared by all
   * streams, so this bounds them all together too. Default 1 MiB (1048576).
   */
  readonly eventStreamBufferBytes?: number;
  /**
   * Shortest time between two runs of a job created or given a new trigger through the API, in
   * seconds; default 1. An interval trigger (weeks to seconds summed) below it, or a cron or
   * calendarInterval trigger whose next 100 fire times come closer than it, is answered 400
   * naming the field. Cron fires on whole seconds, so at 1 even `second: '*'` passes. 0 turns
   * the check off. Jobs added by code or by the service's JOBS are not checked. Handlers of one
   * scheduler share one minimum (a second handler with another value is refused).
   */
  readonly minIntervalSeconds?: number;
}

/** A Web-standard handler: Request in, Response out. */
export interface JobstoreHandler {
  (request: Request): Promise<Response>;
  /** The path prefix it answers under. */
  readonly prefix: string;
  /** True for a path this handler answers (adapters pass everything else on). */
  matches(pathname: string): boolean;
  /** Largest request body it takes. */
  readonly maxBodyBytes: number;
  /** Milliseconds a client may take none of an answer before the adapters disconnect it. */
  readonly clientStallMs: number;
  /**
   * What can be answered from the method, URL and headers alone, before any body is read: a
   * refusal (unknown path, wrong host, cross-site, not JSON, too large, no credentials) or the
   * dashboard page; null when the request may go on. Adapters that read bodies themselves call
   * it first, so an unauthenticated client cannot make the server hold its body.
   */
  preflight(request: Request): Promise<Response | null>;
  /** @internal The handler without its preflight, for adapters that already ran it. */
  readonly [SERVE_CHECKED]: (request: Request) => Promise<Response>;
}

/** Key of the handler's entry point past its preflight: adapters in this package use it, nothing else can name it. */
export const SERVE_CHECKED: unique symbol = Symbol('jobstore handler past preflight');

/** The dashboard's requests say so: a 401 then comes without a Basic challenge, so no browser prompt hides the page's own form. */
export const DASHBOARD_HEADER = 'x-jobstore-dashboard';

/** What a route may ask of the handler's options. */
interface RouteLimits {
  readonly minIntervalSeconds: number;
}

type Route = (scheduler: Scheduler, request: Request, id: string, limits: RouteLimits) => Promise<Response>;

const missing = (id: string): JobLookupError => new JobLookupError('the scheduler', id, 'the API');

/** Stores keep task names, never code: a job may only name a task this process registered (under any spelling of its module). */
function knownTask(scheduler: Scheduler, func: string): void {
  if (scheduler.getTask(func) === undefined) throw new BadRequestError('func', `no task ${JSON.stringify(func)} is registered in this process`);
}

/**
 * The modification with a new trigger, as rescheduleJob would make it (the scheduler's zone by
 * default; a date trigger without run_date runs now), and, unless next_run_time is given, the
 * trigger's first fire time from now. InvalidTriggerError for a bad trigger.
 */
function withTrigger(scheduler: Scheduler, modification: JobModification, type: TriggerType, options: TriggerOptions): JobModification {
  const trigger = scheduler.makeTrigger(type, options);
  const nextRunTime = modification.nextRunTime !== undefined ? modification.nextRunTime : trigger.getNextFireTime(null, scheduler.now());
  return { ...modification, trigger, nextRunTime };
}

const noContent = (): Response => new Response(null, { status: 204 });

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(null, `the body is not JSON: ${(error as Error).message}`);
  }
  // Before any schema: zod's checks recurse (a stack overflow at 3,000 levels), the codec refuses 1,000.
  const deep = bodyTooDeep(body);
  if (deep !== null) throw new BadRequestError(deep.field, deep.reason);
  return body;
}

const lifecycle =
  (act: (scheduler: Scheduler) => unknown): Route =>
  async (scheduler) => {
    await act(scheduler);
    return noContent();
  };

const jobAction =
  (act: (scheduler: Scheduler, id: string) => Promise<unknown>): Route =>
  async (scheduler, _request, id) => {
    await act(scheduler, id);
    const job = await scheduler.getJob(id);
    // resume of a job whose trigger is done removes it, as APScheduler does.
    return job === null ? noContent() : Response.json(jobToDict(job));
  };

/** `[method, path pattern]` → route; `:id` is one path segment, URL-decoded. */
const ROUTES: Record<string, Route> = {
  'GET /': async (scheduler) => Response.json({ current_host: hostname(), running: scheduler.running, state: scheduler.state, timezone: scheduler.timezone, scheduler_id: scheduler.id }),
  'POST /start': lifecycle((s) => s.start()),
  'POST /pause': lifecycle((s) => s.pause()),
  'POST /resume': lifecycle((s) => s.resume()),
  'POST /shutdown': lifecycle((s) => s.shutdown({ wait: false })),
  'GET /jobs': async (scheduler) => Response.json((await scheduler.getJobs()).map(jobToDict)),
  'POST /jobs': async (scheduler, request, _id, limits) => {
    const body = parseBody(newJobSchema, await readJson(request));
    knownTask(scheduler, body.func);
    checkMinInterval(scheduler, body.trigger ?? 'date', triggerOptions(body), limits.minIntervalSeconds);
    return Response.json(jobToDict(await scheduler.addJob(addJobOptions(body))), { status: 201 });
  },
  'GET /jobs/:id': async (scheduler, _request, id) => {
    const job = await scheduler.getJob(id);
    if (job === null) throw missing(id);
    return Response.json(jobToDict(job));
  },
  /**
   * All or nothing: one modifyJob, which checks every field (task, executor, job options, the
   * next run time's range) before its single write. The trigger is built here first, so a
   * refused trigger writes nothing either: rescheduleJob followed by modifyJob would be two
   * writes, the first of them kept when the second refuses (an unknown executor, a time before 1970).
   */
  'PATCH /jobs/:id': async (scheduler, request, id, limits) => {
    const body = parseBody(jobChangesSchema, await readJson(request));
    if (body.func !== undefined) knownTask(scheduler, body.func);
    const { modification, trigger } = jobChanges(body);
    if (trigger !== null) checkMinInterval(scheduler, trigger.type, trigger.options, limits.minIntervalSeconds);
    const changes: JobModification = trigger === null ? modification : withTrigger(scheduler, modification, trigger.type, trigger.options);
    return Response.json(jobToDict(await scheduler.modifyJob(id, changes)));
  },
  'DELETE /jobs/:id': async (scheduler, _request, id) => {
    await scheduler.removeJob(id);
    return noContent();
  },
  'POST /jobs/:id/pause': jobAction((s, id) => s.pauseJob(id)),
  'POST /jobs/:id/resume': jobAction((s, id) => s.resumeJob(id)),
  /**
   * Runs the job now through its executor and answers at once (202): Flask-APScheduler runs the
   * function inside the request, which holds the server. Refusals (unknown job, unknown task,
   * max instances) are still answered as errors.
   */
  'POST /jobs/:id/run': async (scheduler, _request, id) => {
    const job = await scheduler.getJob(id);
    if (job === null) throw missing(id);
    const running = scheduler.runJob(id);
    const refused = await Promise.race([
      running.then(
        () => null,
        (error: unknown) => error,
      ),
      new Promise<null>((resolve) => setImmediate(() => resolve(null))),
    ]);
    if (refused instanceof MaxInstancesReachedError || refused instanceof TaskLookupError || refused instanceof JobLookupError) throw refused;
    running.catch(() => undefined); // a failing run is reported as a job_error event
    return Response.json(jobToDict(job), { status: 202 });
  },
};

function errorResponse(error: unknown, failed: (error: unknown) => void = () => undefined): Response {
  if (error instanceof BadRequestError) return errorJson(400, 'invalid request', error.reason, error.field);
  if (error instanceof JobLookupError) return errorJson(404, 'not found', error.message);
  if (error instanceof ConflictingIdError) return errorJson(409, 'conflict', error.message, 'id');
  if (error instanceof VersionConflictError || error instanceof SchedulerStateError || error instanceof MaxInstancesReachedError) return errorJson(409, 'conflict', error.message);
  if (error instanceof TaskLookupError) return errorJson(400, 'invalid request', error.message, 'func');
  if (error instanceof InvalidTriggerError) return errorJson(400, 'invalid request', error.message, triggerField(error.field));
  if (error instanceof InvalidArgumentError) return errorJson(400, 'invalid request', error.message);
  if (error instanceof JobDataError) return errorJson(422, 'unreadable job', error.message);
  if (error instanceof StoreUnavailableError) return errorJson(503, 'unavailable', error.message);
  // Closed by a shutdown, until POST /start opens the stores again.
  if (error instanceof StoreClosedError) return errorJson(503, 'unavailable', error.message);
  // Job data the codec cannot keep was refused before anything was written; unreadable stored data is the job's, not the request's.
  if (error instanceof JobTooLargeError) return errorJson(413, 'too large', error.message);
  if (error instanceof SerializationError)
    return error.direction === 'encode' ? errorJson(400, 'invalid request', error.message, fieldOfDataPath(error.path)) : errorJson(422, 'unreadable job', error.message);
  failed(error);
  return errorJson(500, 'internal error', 'the server failed; see its log');
}

/** The dashboard's policy: its own inline script and style only, and no page may frame it (clickjacking). */
const DASHBOARD_POLICY = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'";

/** A trusted origin as browsers send it (`https://admin.example.com`); anything else is a mistake to report. */
function originOrThrow(value: string): string {
  let origin: string | null = null;
  try {
    origin = new URL(value).origin;
  } catch {
    // reported below
  }
  if (origin === null || origin === 'null' || origin !== value.replace(/\/$/, ''))
    throw new InvalidArgumentError(`jobstore http: trustedOrigins: ${JSON.stringify(value)} is not an origin like "https://admin.example.com" (scheme, host and port only)`);
  return origin;
}

function positiveSeconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`jobstore http: ${name} must be a number of seconds greater than 0, got ${String(value)}`);
  return value;
}

function normalizePrefix(prefix: string | undefined): string {
  const value = prefix ?? '/scheduler';
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9._~-]+)*$/.test(value))
    throw new InvalidArgumentError(`jobstore http: prefix must be a path like /scheduler (or "" for the root), got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Flask-APScheduler's REST API over a Scheduler, as a Web-standard request handler, plus the
 * dashboard and a server-sent stream of scheduler events. Mount it with one of the adapters.
 */
export function createJobstoreHandler(scheduler: Scheduler, options: HandlerOptions): JobstoreHandler {
  const auth = authenticator(options?.auth);
  const logger = resolveLogger(options?.logger, 'createJobstoreHandler');
  const prefix = normalizePrefix(options.prefix);
  const dashboard = options.dashboard ?? true;
  const allowedHosts = [...(options.allowedHosts ?? ['*'])];
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const clientStallMs = positiveSeconds('clientStallSeconds', options.clientStallSeconds ?? 30) * 1000;
  const limits: RouteLimits = { minIntervalSeconds: minIntervalSeconds(options.minIntervalSeconds) };
  const hosts = options.hosts === undefined ? null : [...options.hosts];
  const trustedOrigins = (options.trustedOrigins ?? []).map((origin) => originOrThrow(origin));
  // One hub for all of this handler's event streams: one scheduler listener, each event encoded once.
  const events = new EventStreamHub(scheduler, { maxStreams: options.maxEventStreams, bufferBytes: options.eventStreamBufferBytes });

  const matches = (pathname: string): boolean => pathname === prefix || pathname === `${prefix}/` || pathname.startsWith(`${prefix}/`);

  async function preflight(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (!matches(url.pathname)) return errorJson(404, 'not found', 'no such endpoint');
    const refused = hostRefusal(request, hosts) ?? crossSiteRefusal(request, trustedOrigins);
    if (refused !== null) return refused;
    const rest = url.pathname.slice(prefix.length).replace(/\/$/, '') || '/';
    if (dashboard && request.method === 'GET' && rest === '/dashboard') {
      return new Response(dashboardPage(prefix), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': DASHBOARD_POLICY } });
    }
    if (auth !== null && !(await auth(request))) {
      const response = unauthorized(options.auth);
      if (request.headers.has(DASHBOARD_HEADER)) response.headers.delete('www-authenticate');
      return response;
    }
    if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) return errorJson(413, 'too large', `the body is over ${maxBodyBytes} bytes`);
    return contentTypeRefusal(request);
  }

  async function serve(request: Request): Promise<Response> {
    const rest = new URL(request.url).pathname.slice(prefix.length).replace(/\/$/, '') || '/';
    if (request.method === 'GET' && rest === '/events') return events.open(request.signal);
    const segments = rest.split('/').slice(1);
    let id = '';
    let pattern = rest;
    if (segments[0] === 'jobs' && segments.length >= 2) {
      try {
        id = decodeURIComponent(segments[1] ?? '');
      } catch {
        return errorResponse(new BadRequestError('id', 'is not valid percent-encoding'));
      }
      pattern = ['/jobs/:id', ...segments.slice(2)].join('/');
    }
    const key = `${request.method} ${pattern}`;
    const route = Object.hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
    if (route === undefined) {
      const allowed = Object.keys(ROUTES)
        .filter((key) => key.endsWith(` ${pattern}`))
        .map((key) => key.split(' ')[0]);
      if (allowed.length > 0) return errorJson(405, 'method not allowed', `use ${allowed.join(', ')}`, null, { allow: allowed.join(', ') });
      return errorJson(404, 'not found', 'no such endpoint');
    }
    try {
      const response = await route(scheduler, request, id, limits);
      if (pattern === '/') return Response.json({ ...((await response.json()) as object), allowed_hosts: allowedHosts });
      return response;
    } catch (error) {
      return errorResponse(error, (failure) => {
        const path = new URL(request.url).pathname;
        logger.error(`${request.method} ${path} failed: ${failure instanceof Error ? failure.message : String(failure)}`, { method: request.method, path, error: failure });
      });
    }
  }

  const checkedPreflight = async (request: Request): Promise<Response | null> => {
    const early = await preflight(request);
    return early === null ? null : withSecurityHeaders(early);
  };
  const serveChecked = async (request: Request): Promise<Response> => withSecurityHeaders(await serve(request));
  const handle = async (request: Request): Promise<Response> => (await checkedPreflight(request)) ?? serveChecked(request);
  return Object.assign(handle, { prefix, matches, maxBodyBytes, clientStallMs, preflight: checkedPreflight, [SERVE_CHECKED]: serveChecked });
}
