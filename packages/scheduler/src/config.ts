import { describeValue, InvalidArgumentError, type JobStore } from '@jobstore/core';
import { AsyncExecutor, DebugExecutor } from './executors/async-executor.js';
import type { Executor } from './executors/executor.js';
import { ProcessPoolExecutor, ThreadPoolExecutor } from './executors/pool-executor.js';

/**
 * A job store described by plain data, as Flask-APScheduler's SCHEDULER_JOBSTORES:
 * `{ type: 'sql', url: 'sqlite:jobs.db' }`, `{ type: 'memory' }`. `type` names the package
 * `@jobstore/store-<type>`, whose `createStore(options)` receives the other fields.
 */
export interface JobStoreConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** An executor described by plain data, as SCHEDULER_EXECUTORS: `{ type: 'threadpool', maxWorkers: 4 }`. */
export type ExecutorConfig =
  | { readonly type: 'async' | 'debug' }
  | { readonly type: 'threadpool' | 'processpool'; readonly maxWorkers?: number };

/** APScheduler's job defaults. */
export interface JobDefaults {
  /** Seconds a run may start late and still run; null: however late. Default 1. */
  readonly misfireGraceTime?: number | null;
  /** Run once when several fire times are due at once. Default true. */
  readonly coalesce?: boolean;
  /** Most runs of one job at once in this process. Default 1. */
  readonly maxInstances?: number;
}

const STORE_TYPE = /^[a-z][a-z0-9-]{0,39}$/;

/** Opens a store from its description, importing its package only now. */
export async function storeFromConfig(alias: string, config: JobStoreConfig): Promise<JobStore> {
  const { type, ...options } = config;
  if (typeof type !== 'string' || !STORE_TYPE.test(type)) throw new InvalidArgumentError(`jobstore ${JSON.stringify(alias)}: type must name a store package (memory, sql, redis, ...), got ${JSON.stringify(type)}`);
  const name = `@jobstore/store-${type}`;
  let module: { createStore?: (options: Record<string, unknown>) => JobStore };
  try {
    module = (await import(name)) as typeof module;
  } catch (error) {
    throw new InvalidArgumentError(`jobstore ${JSON.stringify(alias)}: cannot load ${name} (npm install ${name}): ${(error as Error).message}`);
  }
  if (typeof module.createStore !== 'function') throw new InvalidArgumentError(`jobstore ${JSON.stringify(alias)}: ${name} has no createStore()`);
  return module.createStore(options);
}

export function executorFromConfig(alias: string, config: ExecutorConfig): Executor {
  switch (config?.type) {
    case 'async':
      return new AsyncExecutor();
    case 'debug':
      return new DebugExecutor();
    case 'threadpool':
      return new ThreadPoolExecutor(config.maxWorkers);
    case 'processpool':
      return new ProcessPoolExecutor(config.maxWorkers);
    default:
      throw new InvalidArgumentError(`executor ${JSON.stringify(alias)}: type must be async, threadpool, processpool or debug, got ${JSON.stringify((config as { type?: unknown } | undefined)?.type)}`);
  }
}

export function isJobStore(value: unknown): value is JobStore {
  return typeof value === 'object' && value !== null && typeof (value as JobStore).acquireDueJobs === 'function';
}

export function isExecutor(value: unknown): value is Executor {
  return typeof value === 'object' && value !== null && typeof (value as Executor).submit === 'function';
}

/** The defaults APScheduler uses. */
export function resolveJobDefaults(defaults: JobDefaults = {}): Required<JobDefaults> {
  const resolved = { misfireGraceTime: defaults.misfireGraceTime === undefined ? 1 : defaults.misfireGraceTime, coalesce: defaults.coalesce ?? true, maxInstances: defaults.maxInstances ?? 1 };
  checkJobOptions(resolved, 'jobDefaults');
  return resolved;
}

/** Checks misfireGraceTime, coalesce and maxInstances where they are given. */
export function checkJobOptions(options: JobDefaults, where: string): void {
  const { misfireGraceTime, coalesce, maxInstances } = options;
  if (misfireGraceTime !== undefined && misfireGraceTime !== null && !(typeof misfireGraceTime === 'number' && misfireGraceTime > 0 && Number.isFinite(misfireGraceTime))) {
    throw new InvalidArgumentError(`${where}: misfireGraceTime must be a positive number of seconds or null, got ${describeValue(misfireGraceTime)}`);
  }
  if (coalesce !== undefined && typeof coalesce !== 'boolean') throw new InvalidArgumentError(`${where}: coalesce must be a boolean, got ${describeValue(coalesce)}`);
  if (maxInstances !== undefined && !(Number.isInteger(maxInstances) && maxInstances >= 1)) {
    throw new InvalidArgumentError(`${where}: maxInstances must be a positive integer, got ${describeValue(maxInstances)}`);
  }
}
