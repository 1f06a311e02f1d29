import { InvalidArgumentError, type JobStore } from '@jobstore/core';
import { AsyncExecutor, DebugExecutor } from './executors/async-executor.js';
import type { Executor } from './executors/executor.js';
import { ProcessPoolExecutor, ThreadPoolExecutor } from './executors/pool-executor.js';

export { checkJobOptions, resolveJobDefaults, type JobDefaults } from './job-spec.js';
export { storeFromConfig, type JobStoreConfig } from './store-loader.js';

/** An executor described by plain data, as SCHEDULER_EXECUTORS: `{ type: 'threadpool', maxWorkers: 4 }`. */
export type ExecutorConfig = { readonly type: 'async' | 'debug' } | { readonly type: 'threadpool' | 'processpool'; readonly maxWorkers?: number };

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
      throw new InvalidArgumentError(
        `executor ${JSON.stringify(alias)}: type must be async, threadpool, processpool or debug, got ${JSON.stringify((config as { type?: unknown } | undefined)?.type)}`,
      );
  }
}

export function isJobStore(value: unknown): value is JobStore {
  return typeof value === 'object' && value !== null && typeof (value as JobStore).acquireDueJobs === 'function';
}

export function isExecutor(value: unknown): value is Executor {
  return typeof value === 'object' && value !== null && typeof (value as Executor).submit === 'function';
}
