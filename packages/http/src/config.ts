import { InvalidArgumentError } from '@jobstore/core';
import type { ExecutorConfig, JobDefaults, JobStoreConfig, SchedulerOptions } from '@jobstore/scheduler';
import { z } from 'zod';
import type { AuthOption } from './auth.js';
import { newJobSchema, parseBody } from './schemas.js';

/**
 * The service's configuration, named as Flask-APScheduler reads it from a Flask app's config:
 * one object (a JSON or JS file), with any key overridden by an environment variable of the same
 * name (JSON values, or plain strings).
 */
export interface ServiceConfig {
  /** Job stores by alias, as the scheduler takes them: `{ default: { type: 'sql', url: 'sqlite:jobs.db' } }`. */
  readonly SCHEDULER_JOBSTORES?: Readonly<Record<string, JobStoreConfig>>;
  readonly SCHEDULER_EXECUTORS?: Readonly<Record<string, ExecutorConfig>>;
  /** `coalesce`, `max_instances`, `misfire_grace_time` (or camelCase). */
  readonly SCHEDULER_JOB_DEFAULTS?: Readonly<Record<string, unknown>>;
  readonly SCHEDULER_TIMEZONE?: string;
  /** Serve the REST API and the dashboard; default true. */
  readonly SCHEDULER_API_ENABLED?: boolean;
  readonly SCHEDULER_API_PREFIX?: string;
  readonly SCHEDULER_ALLOWED_HOSTS?: readonly string[];
  /** `{ type: 'bearer', token }`, `{ type: 'basic', username, password }` or `{ type: 'none' }`; without it the service makes a token and prints it. */
  readonly SCHEDULER_AUTH?: { readonly type: 'bearer'; readonly token: string } | { readonly type: 'basic'; readonly username: string; readonly password: string } | { readonly type: 'none' };
  /** Jobs to create at start, as POST /jobs bodies; `func` is `module:export` (imported) or a task in TASKS. */
  readonly JOBS?: readonly Readonly<Record<string, unknown>>[];
  /** Task modules to import (paths relative to the config file); each export is the task `<path>:<export>`. */
  readonly TASKS?: readonly string[];
  readonly HOST?: string;
  readonly PORT?: number;
}

const KEYS = ['SCHEDULER_JOBSTORES', 'SCHEDULER_EXECUTORS', 'SCHEDULER_JOB_DEFAULTS', 'SCHEDULER_TIMEZONE', 'SCHEDULER_API_ENABLED', 'SCHEDULER_API_PREFIX', 'SCHEDULER_ALLOWED_HOSTS', 'SCHEDULER_AUTH', 'JOBS', 'TASKS', 'HOST', 'PORT'] as const;

const store = z.looseObject({ type: z.string().min(1) });
const schema = z.strictObject({
  SCHEDULER_JOBSTORES: z.record(z.string().min(1), store),
  SCHEDULER_EXECUTORS: z.record(z.string().min(1), z.looseObject({ type: z.enum(['async', 'debug', 'threadpool', 'processpool']), maxWorkers: z.number().int().positive().optional() })),
  SCHEDULER_JOB_DEFAULTS: z.strictObject({ coalesce: z.boolean(), max_instances: z.number().int().positive(), misfire_grace_time: z.number().positive().nullable() }).partial(),
  SCHEDULER_TIMEZONE: z.string().min(1),
  SCHEDULER_API_ENABLED: z.boolean(),
  SCHEDULER_API_PREFIX: z.string(),
  SCHEDULER_ALLOWED_HOSTS: z.array(z.string()),
  SCHEDULER_AUTH: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('bearer'), token: z.string().min(16) }),
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
    z.strictObject({ type: z.literal('none') }),
  ]),
  JOBS: z.array(z.record(z.string(), z.unknown())),
  TASKS: z.array(z.string().min(1)),
  HOST: z.string().min(1),
  PORT: z.number().int().min(0).max(65535),
}).partial();

const snake = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The configuration from `source` with environment overrides, validated: InvalidArgumentError names the key and why. */
export function loadConfig(source: Readonly<Record<string, unknown>> = {}, env: Readonly<Record<string, string | undefined>> = process.env): ServiceConfig {
  const merged: Record<string, unknown> = { ...source };
  for (const key of KEYS) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    try {
      merged[key] = JSON.parse(value) as unknown;
    } catch {
      merged[key] = value;
    }
  }
  if (merged['SCHEDULER_JOB_DEFAULTS'] !== null && typeof merged['SCHEDULER_JOB_DEFAULTS'] === 'object') {
    merged['SCHEDULER_JOB_DEFAULTS'] = Object.fromEntries(Object.entries(merged['SCHEDULER_JOB_DEFAULTS'] as object).map(([key, value]) => [snake(key), value]));
  }
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : (issue?.path.map(String).join('.') ?? '');
    throw new InvalidArgumentError(`jobstore config: ${where}: ${issue?.code === 'unrecognized_keys' ? 'is not a setting' : (issue?.message ?? 'is not valid')}`);
  }
  for (const [i, job] of (result.data.JOBS ?? []).entries()) {
    try {
      parseBody(newJobSchema, job);
    } catch (error) {
      throw new InvalidArgumentError(`jobstore config: JOBS[${i}]: ${(error as Error).message}`);
    }
  }
  return result.data as ServiceConfig;
}

/** The Scheduler's options from a configuration. */
export function schedulerOptions(config: ServiceConfig): SchedulerOptions {
  const defaults = config.SCHEDULER_JOB_DEFAULTS ?? {};
  const jobDefaults: Record<string, unknown> = {};
  if (defaults['coalesce'] !== undefined) jobDefaults['coalesce'] = defaults['coalesce'];
  if (defaults['max_instances'] !== undefined) jobDefaults['maxInstances'] = defaults['max_instances'];
  if (defaults['misfire_grace_time'] !== undefined) jobDefaults['misfireGraceTime'] = defaults['misfire_grace_time'];
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
