import { describeValue, InvalidArgumentError } from '@jobstore/core';
import { camelCase, JOB_DEFAULT_OPTIONS, snakeCase, type ExecutorConfig, type JobDefaults, type JobStoreConfig, type SchedulerOptions } from '@jobstore/scheduler';
import type { AuthOption } from './auth.js';
import { settingFromText } from './config/from-text.js';
import { firstIssue, issueReason, pathText, unknownKeys } from './config/issues.js';
import { jobProblem } from './config/jobs.js';
import { configSchema, isSettingKey, NESTED_EXPECTED, SETTING_KEYS, SETTINGS, type SettingKey } from './config/settings.js';

/**
 * The service's configuration, named as Flask-APScheduler reads it from a Flask app's config:
 * one object (a JSON or JS file), with any key overridden by an environment variable of the same
 * name (see {@link loadConfig}).
 */
export interface ServiceConfig {
  /**
   * Job stores by alias, as the scheduler takes them: `{ default: { type: 'sql', url: 'sqlite:jobs.db' } }`,
   * or a store from any package or file, `{ default: { module: 'acme-jobstore', … } }`, found from
   * the config file's folder.
   */
  readonly SCHEDULER_JOBSTORES?: Readonly<Record<string, JobStoreConfig>>;
  readonly SCHEDULER_EXECUTORS?: Readonly<Record<string, ExecutorConfig>>;
  /** `coalesce`, `max_instances`, `misfire_grace_time` (or camelCase). */
  readonly SCHEDULER_JOB_DEFAULTS?: Readonly<Record<string, unknown>>;
  /** An IANA zone; default the system's. */
  readonly SCHEDULER_TIMEZONE?: string;
  /** Serve the REST API and the dashboard; default true. */
  readonly SCHEDULER_API_ENABLED?: boolean;
  /** The API's path, like `/scheduler` (the default), or `""` for the root. */
  readonly SCHEDULER_API_PREFIX?: string;
  readonly SCHEDULER_ALLOWED_HOSTS?: readonly string[];
  /** `{ type: 'bearer', token }`, `{ type: 'basic', username, password }` or `{ type: 'none' }`; without it the service makes a token and prints it. */
  readonly SCHEDULER_AUTH?: { readonly type: 'bearer'; readonly token: string } | { readonly type: 'basic'; readonly username: string; readonly password: string } | { readonly type: 'none' };
  /** Host names the API answers to (the Host header); default any, and only loopback names when HOST is a loopback address. */
  readonly SCHEDULER_API_HOSTS?: readonly string[];
  /** Origins (`https://admin.example.com`) of other sites whose pages may change jobs; default none. */
  readonly SCHEDULER_API_TRUSTED_ORIGINS?: readonly string[];
  /** Connections the API holds open at once; default 1000. */
  readonly SCHEDULER_API_MAX_CONNECTIONS?: number;
  /** Seconds a client has to send its request's headers; default 10. */
  readonly SCHEDULER_API_HEADERS_TIMEOUT?: number;
  /** Seconds a client has to send its whole request; default 30. */
  readonly SCHEDULER_API_REQUEST_TIMEOUT?: number;
  /** Shortest interval, in seconds, of a job created or changed through the API; default 1, 0 for any. */
  readonly SCHEDULER_API_MIN_INTERVAL?: number;
  /** `GET <prefix>/events` streams open at once; default 100. */
  readonly SCHEDULER_API_MAX_STREAMS?: number;
  /** Seconds the service's `close()` waits for running jobs before it abandons them; default 30. */
  readonly SCHEDULER_SHUTDOWN_TIMEOUT?: number;
  /** Jobs to create at start, as POST /jobs bodies; `func` is `module:export` (imported) or a task in TASKS. */
  readonly JOBS?: readonly Readonly<Record<string, unknown>>[];
  /** Task modules to import (paths relative to the config file); each export is the task `<path>:<export>`. */
  readonly TASKS?: readonly string[];
  readonly HOST?: string;
  readonly PORT?: number;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** What errors call the source object, such as its file's path. Default: `jobstore config`. */
  readonly sourceName?: string;
}

/** The job defaults' names in the config (snake_case, as Flask-APScheduler's). */
const JOB_DEFAULT_KEYS: readonly string[] = JOB_DEFAULT_OPTIONS.map(snakeCase);

/**
 * The configuration from `source`, with environment overrides, validated. An environment
 * variable named as a key overrides it: names and addresses as they are, numbers and true/false
 * as such, the rest as JSON; an empty variable is no override. Each of the JOBS is checked as the
 * service will create it, its trigger included.
 *
 * Throws InvalidArgumentError saying where the bad value came from, which key and why:
 * `jobstore.config.json: PORT: must be an integer from 0 to 65535, got "eighty"`,
 * `environment variable PORT: must be …`, `jobstore.config.json: JOBS[2] "cleanup": minute: 75
 * is outside 0-59`.
 */
export function loadConfig(source: Readonly<Record<string, unknown>> = {}, env: Readonly<Record<string, string | undefined>> = process.env, options: LoadConfigOptions = {}): ServiceConfig {
  const sourceName = options.sourceName ?? 'jobstore config';
  const merged: Record<string, unknown> = { ...source };
  const fromEnvironment = new Set<string>(environmentOverrides(env));
  for (const key of fromEnvironment as Set<SettingKey>) {
    const read = settingFromText(key, env[key] as string);
    if (!read.ok) throw new InvalidArgumentError(`environment variable ${key}: ${read.reason}`);
    merged[key] = read.value;
  }
  // Where a value came from, and its path as that source names it.
  const where = (path: readonly PropertyKey[]): string => {
    const key = String(path[0]);
    if (fromEnvironment.has(key)) return [`environment variable ${key}`, pathText(path.slice(1))].filter((part) => part !== '').join(': ');
    return [sourceName, pathText(path)].filter((part) => part !== '').join(': ');
  };
  const defaults = merged['SCHEDULER_JOB_DEFAULTS'];
  if (defaults !== null && typeof defaults === 'object' && !Array.isArray(defaults)) {
    merged['SCHEDULER_JOB_DEFAULTS'] = Object.fromEntries(Object.entries(defaults).map(([key, value]) => [snakeCase(key), value]));
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = firstIssue(result.error.issues);
    if (issue?.code === 'unrecognized_keys') {
      const nested = issue.path.length > 0;
      const known = nested && issue.path[0] === 'SCHEDULER_JOB_DEFAULTS' ? JOB_DEFAULT_KEYS : nested ? [] : SETTING_KEYS;
      const unknown = unknownKeys(issue.keys, known, nested ? { one: 'is not a known field', many: 'are not known fields' } : { one: 'is not a setting', many: 'are not settings' });
      throw new InvalidArgumentError(`${where([...issue.path, unknown.keys])}: ${unknown.reason}`);
    }
    const reason = issue === undefined ? 'is not valid' : issueReason(issue, merged, (pattern) => (isSettingKey(pattern) ? SETTINGS[pattern].expected : NESTED_EXPECTED[pattern]));
    throw new InvalidArgumentError(`${where(issue?.path ?? [])}: ${reason}`);
  }
  const config = result.data as ServiceConfig;
  for (const [i, job] of (config.JOBS ?? []).entries()) {
    const problem = jobProblem(job, config.SCHEDULER_TIMEZONE);
    const id = typeof job['id'] === 'string' ? ` ${describeValue(job['id'])}` : '';
    if (problem !== undefined) throw new InvalidArgumentError(`${where(['JOBS', i])}${id}: ${problem}`);
  }
  return config;
}

/**
 * The settings the environment overrides: the names of the variables {@link loadConfig} reads
 * that are set and not empty, in the order of the configuration's keys.
 */
export function environmentOverrides(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return SETTING_KEYS.filter((key) => env[key] !== undefined && env[key] !== '');
}

/** The Scheduler's options from a configuration. */
export function schedulerOptions(config: ServiceConfig): SchedulerOptions {
  const defaults = config.SCHEDULER_JOB_DEFAULTS ?? {};
  const jobDefaults: Record<string, unknown> = {};
  for (const key of JOB_DEFAULT_KEYS) if (defaults[key] !== undefined) jobDefaults[camelCase(key)] = defaults[key];
  const options: Record<string, unknown> = { jobDefaults: jobDefaults as JobDefaults };
  if (config.SCHEDULER_JOBSTORES !== undefined) options['jobstores'] = config.SCHEDULER_JOBSTORES;
  if (config.SCHEDULER_EXECUTORS !== undefined) options['executors'] = config.SCHEDULER_EXECUTORS;
  if (config.SCHEDULER_TIMEZONE !== undefined) options['timezone'] = config.SCHEDULER_TIMEZONE;
  return options as SchedulerOptions;
}

/** The API's auth from a configuration; undefined when none is set (the service then makes a token). */
export function authFromConfig(config: ServiceConfig): AuthOption | undefined {
  const auth = config.SCHEDULER_AUTH;
  if (auth === undefined) return undefined;
  if (auth.type === 'none') return false;
  if (auth.type === 'bearer') return { bearer: auth.token };
  return { basic: { username: auth.username, password: auth.password } };
}
