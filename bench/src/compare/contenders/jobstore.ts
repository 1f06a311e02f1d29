import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTrigger, IntervalTrigger, type JobStore } from '@jobstore/core';
import { currentJob, Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { redisBackend } from '../../backends/redis.js';
import { sqlBackend, sqlSpecs } from '../../backends/sql.js';
import { connect as zkConnect, zookeeperBackend } from '../../backends/zookeeper.js';
import type { BenchBackend } from '../../store-bench.js';
import { CALLS_IN_FLIGHT, inBatches, type Contender, type ContenderClient, type OneOff } from '../contender.js';

const version = `jobstore ${(createRequire(import.meta.url)('@jobstore/scheduler/package.json') as { version: string }).version}`;
const TABLE = 'cmp_jobs';
/** One SQLite file every process of a run shares. */
const SQLITE_DIR = join(tmpdir(), 'jobstore-compare');

/** The memory store as a bench backend: one store, in this process only. */
function memoryBackend(): BenchBackend {
  const store = new MemoryJobStore();
  return {
    label: 'memory',
    open: () => store,
    reset: () => store.removeAllJobs(),
    async bulkInsert(prefix, count, first, step) {
      for (let i = 0; i < count; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, k) => store.addJob({ id: `${prefix}${i + k}`, nextRunTime: new Date(first + (i + k) * step), data: {} })));
      }
    },
    close: async () => undefined,
  };
}

type Kind = 'memory' | 'SQLite' | 'PostgreSQL' | 'MariaDB' | 'Redis' | 'ZooKeeper';

async function backendFor(kind: Kind): Promise<BenchBackend> {
  mkdirSync(SQLITE_DIR, { recursive: true });
  const specs = sqlSpecs(SQLITE_DIR);
  switch (kind) {
    case 'memory':
      return memoryBackend();
    case 'SQLite':
      return sqlBackend(specs[2]!, TABLE);
    case 'PostgreSQL':
      return sqlBackend(specs[0]!, TABLE);
    case 'MariaDB':
      return sqlBackend(specs[1]!, TABLE);
    case 'Redis':
      return redisBackend('jobstore-cmp', TABLE);
    case 'ZooKeeper':
      return zookeeperBackend(await zkConnect(), '/jobstore-cmp', TABLE);
  }
}

/** A scheduler over the backend's store, as an application runs one: the async executor, batches of 500. */
class JobstoreClient implements ContenderClient {
  readonly #backend: BenchBackend;
  readonly #store: JobStore;
  readonly #scheduler: Scheduler;
  #onRun: (id: string) => void = () => undefined;
  #started = false;

  constructor(backend: BenchBackend) {
    this.#backend = backend;
    this.#store = backend.open(8);
    this.#scheduler = new Scheduler({ jobstores: { default: this.#store }, timezone: 'UTC', batchSize: 500, daemon: true });
    this.#scheduler.registerTask('bench', () => {
      const job = currentJob();
      if (job !== undefined) this.#onRun(job.jobId);
    });
  }

  async #ready(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    // Paused until consume(): a client that only adds jobs never runs them.
    await this.#scheduler.start({ paused: true });
  }

  reset(): Promise<void> {
    return this.#backend.reset();
  }

  async scheduleRecurring(count: number): Promise<void> {
    await this.#ready();
    const startDate = new Date(Date.now() + 3_600_000);
    const ids = Array.from({ length: count }, (_, i) => `recurring-${i}`);
    await inBatches(ids, CALLS_IN_FLIGHT, (id) => this.#scheduler.addJob({ id, func: 'bench', trigger: new IntervalTrigger({ hours: 1, startDate }) }));
  }

  async size(): Promise<number | null> {
    return this.#backend.size === undefined ? null : this.#backend.size();
  }

  async addOneOff(jobs: readonly OneOff[]): Promise<void> {
    await this.#ready();
    await inBatches(jobs, CALLS_IN_FLIGHT, (job) => this.#scheduler.addJob({ id: job.id, func: 'bench', trigger: new DateTrigger({ runDate: new Date(job.at) }), misfireGraceTime: null }));
  }

  async bulkLoad(count: number, first: number, step: number): Promise<void> {
    await this.#backend.bulkInsert('bulk-', count, first, step);
  }

  async consume(onRun: (id: string) => void): Promise<void> {
    this.#onRun = onRun;
    await this.#ready();
    this.#scheduler.resume();
  }

  async close(): Promise<void> {
    await this.#scheduler.shutdown({ wait: false });
    await this.#backend.close();
  }
}

function contender(kind: Kind): Contender {
  return {
    name: `jobstore (${kind})`,
    server: kind,
    jobstore: true,
    version,
    ...(kind === 'memory' ? { singleProcess: true } : {}),
    ...(kind === 'ZooKeeper' ? { limits: { backlog: { count: 100_000, why: 'every job lives in the memory of the ZooKeeper server and of every store' } } } : {}),
    open: async () => new JobstoreClient(await backendFor(kind)),
  };
}

export const jobstoreContenders: readonly Contender[] = (['memory', 'SQLite', 'PostgreSQL', 'MariaDB', 'Redis', 'ZooKeeper'] as const).map(contender);
