import type { JobDefaults, SnakeCase } from '@jobstore/scheduler';
import { z } from 'zod';

/**
 * How a setting is read from text (an environment variable or a command-line option): as is,
 * as a number, as true/false, or as JSON.
 */
type SettingKind = 'text' | 'number' | 'boolean' | 'json';

interface Setting {
  readonly kind: SettingKind;
  readonly schema: z.ZodType;
  /** What a valid value is, for "must be …" messages. */
  readonly expected: string;
  /** One line for the usage. */
  readonly summary: string;
}

const validTimezone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

// The handler refuses other prefixes (handler.ts); checked here too so the service fails before it starts.
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/** Every setting, in the order the usage and the README list them. */
export const SETTINGS = {
  SCHEDULER_JOBSTORES: {
    kind: 'json',
    // The scheduler checks the type, and loads the module, when it opens the store.
    schema: z.record(
      z.string().min(1),
      z.looseObject({ type: z.string().min(1).optional(), module: z.string().min(1).optional() }).superRefine((store, ctx) => {
        if (store.type === undefined && store.module === undefined) ctx.addIssue({ code: 'custom', path: ['type'], message: 'is required' });
      }),
    ),
    expected: 'stores by alias, like {"default": {"type": "sql", "url": "sqlite:jobs.db"}}',
    summary: 'stores by alias: {"default": {"type": "sql", "url": "sqlite:jobs.db"}}; another package\'s store: {"module": "name", …}',
  },
  SCHEDULER_EXECUTORS: {
    kind: 'json',
    schema: z.record(z.string().min(1), z.looseObject({ type: z.enum(['async', 'debug', 'threadpool', 'processpool']), maxWorkers: z.number().int().positive().optional() })),
    expected: 'executors by alias, like {"default": {"type": "async"}}',
    summary: 'executors by alias: {"default": {"type": "async"}}',
  },
  SCHEDULER_JOB_DEFAULTS: {
    kind: 'json',
    schema: z
      .strictObject({ coalesce: z.boolean(), max_instances: z.number().int().positive(), misfire_grace_time: z.number().positive().nullable() } satisfies Record<
        SnakeCase<keyof JobDefaults>,
        z.ZodType
      >)
      .partial(),
    expected: 'an object like {"coalesce": true, "max_instances": 1, "misfire_grace_time": 30}',
    summary: 'coalesce, max_instances, misfire_grace_time',
  },
  SCHEDULER_TIMEZONE: {
    kind: 'text',
    schema: z.string().refine(validTimezone),
    expected: 'an IANA time zone name, like "Europe/Berlin" or "UTC"',
    summary: "an IANA time zone (default: the system's)",
  },
  SCHEDULER_API_ENABLED: {
    kind: 'boolean',
    schema: z.boolean(),
    expected: 'true or false',
    summary: 'serve the API and the dashboard (default true)',
  },
  SCHEDULER_API_PREFIX: {
    kind: 'text',
    schema: z.string().regex(PREFIX),
    expected: 'a path like "/scheduler", or "" for the root',
    summary: "the API's path (default /scheduler)",
  },
  SCHEDULER_ALLOWED_HOSTS: {
    kind: 'json',
    schema: z.array(z.string()),
    expected: 'a list of host names, like ["*"]',
    summary: 'reported by GET <prefix> (default ["*"])',
  },
  SCHEDULER_AUTH: {
    kind: 'json',
    schema: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('bearer'), token: z.string().min(16) }),
      z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
      z.strictObject({ type: z.literal('none') }),
    ]),
    expected: '{"type": "bearer", "token": …}, {"type": "basic", "username": …, "password": …} or {"type": "none"}',
    summary: 'bearer, basic or none (default: a token made for each run)',
  },
  SCHEDULER_API_HOSTS: {
    kind: 'json',
    schema: z.array(z.string().min(1)),
    expected: 'a list of host names, like ["jobs.example.com", "*.internal"]',
    summary: 'Host names the API answers to (default: any; only loopback names when HOST is loopback)',
  },
  SCHEDULER_API_TRUSTED_ORIGINS: {
    kind: 'json',
    schema: z.array(z.string().url()),
    expected: 'a list of origins, like ["https://admin.example.com"]',
    summary: "other sites' origins whose pages may change jobs (default none)",
  },
  SCHEDULER_API_MAX_CONNECTIONS: {
    kind: 'number',
    schema: z.number().int().positive(),
    expected: 'a positive integer',
    summary: 'open connections the API takes at once (default 1000)',
  },
  SCHEDULER_API_HEADERS_TIMEOUT: {
    kind: 'number',
    schema: z.number().positive().finite(),
    expected: 'a number of seconds greater than 0',
    summary: "seconds a client has to send a request's headers (default 10)",
  },
  SCHEDULER_API_REQUEST_TIMEOUT: {
    kind: 'number',
    schema: z.number().positive().finite(),
    expected: 'a number of seconds greater than 0',
    summary: 'seconds a client has to send a whole request (default 30)',
  },
  SCHEDULER_API_MIN_INTERVAL: {
    kind: 'number',
    schema: z.number().nonnegative().finite(),
    expected: 'a number of seconds, 0 or more',
    summary: 'shortest interval a job created through the API may have (default 1; 0: any)',
  },
  SCHEDULER_API_MAX_STREAMS: {
    kind: 'number',
    schema: z.number().int().positive(),
    expected: 'a positive integer',
    summary: 'event streams (/events) open at once (default 100)',
  },
  SCHEDULER_SHUTDOWN_TIMEOUT: {
    kind: 'number',
    schema: z.number().positive().finite(),
    expected: 'a number of seconds greater than 0',
    summary: 'seconds to wait for running jobs at shutdown (default 30)',
  },
  TASKS: {
    kind: 'json',
    schema: z.array(z.string().min(1)),
    expected: 'a list of module paths, like ["./tasks.mjs"]',
    summary: 'task modules, relative to the config file',
  },
  JOBS: {
    kind: 'json',
    schema: z.array(z.record(z.string(), z.unknown())),
    expected: 'a list of jobs, like [{"id": "ping", "func": "./tasks.mjs:ping", "trigger": "interval", "minutes": 1}]',
    summary: 'jobs created (or replaced) at start, as POST <prefix>/jobs bodies',
  },
  HOST: {
    kind: 'text',
    schema: z.string().min(1),
    expected: 'a host name or IP address',
    summary: 'the address to listen on (default 127.0.0.1)',
  },
  PORT: {
    kind: 'number',
    schema: z.number().int().min(0).max(65535),
    expected: 'an integer from 0 to 65535',
    summary: 'the port to listen on (default 5000; 0: any free port)',
  },
} as const satisfies Record<string, Setting>;

/** A setting's name: a key of the configuration, and the environment variable that overrides it. */
export type SettingKey = keyof typeof SETTINGS;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(SETTINGS, key);

/** The whole configuration's schema: every setting optional, nothing else allowed. */
export const configSchema = z.strictObject(Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].schema.optional()])));

/** What a value inside a setting must be, by path (aliases and list positions as `*`), for "must be …" messages. */
export const NESTED_EXPECTED: Readonly<Record<string, string>> = {
  'SCHEDULER_JOBSTORES.*': 'a store: an object with a "type" (or a "module")',
  'SCHEDULER_JOBSTORES.*.type': 'a store type, like "sql", "redis" or "memory"',
  'SCHEDULER_JOBSTORES.*.module': 'a package name or a file path, like "my-store" or "./stores/custom.mjs"',
  'SCHEDULER_EXECUTORS.*': 'an executor: an object with a "type"',
  'SCHEDULER_EXECUTORS.*.type': 'one of "async", "debug", "threadpool" and "processpool"',
  'SCHEDULER_EXECUTORS.*.maxWorkers': 'a positive integer',
  'SCHEDULER_JOB_DEFAULTS.coalesce': 'true or false',
  'SCHEDULER_JOB_DEFAULTS.max_instances': 'a positive integer',
  'SCHEDULER_JOB_DEFAULTS.misfire_grace_time': 'a number of seconds greater than 0, or null',
  'SCHEDULER_ALLOWED_HOSTS.*': 'a host name (a string)',
  'SCHEDULER_API_HOSTS.*': 'a host name (a non-empty string)',
  'SCHEDULER_API_TRUSTED_ORIGINS.*': 'an origin, like "https://admin.example.com"',
  'SCHEDULER_AUTH.type': '"bearer", "basic" or "none"',
  'SCHEDULER_AUTH.token': 'a string of at least 16 characters',
  'SCHEDULER_AUTH.username': 'a non-empty string',
  'SCHEDULER_AUTH.password': 'a non-empty string',
  'TASKS.*': 'a module path (a non-empty string)',
  'JOBS.*': 'a job: an object, as POST <prefix>/jobs takes it',
};
