import type { JobStore } from '@jobstore/core';

/** A store described by plain data, as the harness hands it to every process. */
export interface StoreConfig {
  readonly type: 'sql' | 'redis' | 'zookeeper' | 'etcd';
  readonly [option: string]: unknown;
}

const MODULES = { sql: '@jobstore/store-sql', redis: '@jobstore/store-redis', zookeeper: '@jobstore/store-zookeeper', etcd: '@jobstore/store-etcd' } as const;

/** Opens the store with its package's createStore (the harness depends on every backend it runs). */
export async function openStore(config: StoreConfig): Promise<JobStore> {
  const { type, ...options } = config;
  const module = (await import(MODULES[type])) as { createStore(options: Record<string, unknown>): JobStore };
  return module.createStore(options);
}
