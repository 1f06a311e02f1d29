import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../../urls.js';
import { CALLS_IN_FLIGHT, chunked, inBatches, type Contender, type ContenderClient, type JobData, type OneOff } from '../contender.js';
import { logErrors, packageVersion, redisDeletePrefix, redisPrefixBytes } from './peer-support.js';

/** Its own key prefix, so its size and reset never touch the jobstore Redis store's keys (`jobstore-cmp…`). */
const PREFIX = 'jobstore-cmp-bullmq';
const QUEUE = 'cmp';
const HOUR = 3_600_000;
/** Jobs a worker runs at once. BullMQ's default is 1; the jobs here only record that they started. */
const CONCURRENCY = 256;
/** Jobs per addBulk (one MULTI of one script per job) and how many of those in flight. */
const ADD_CHUNK = 1_000;
const ADD_IN_FLIGHT = 4;
const BULK_CHUNK = 5_000;
const BULK_IN_FLIGHT = 2;

type JobQueue = Queue<JobData, void, string>;

class BullmqClient implements ContenderClient {
  readonly #queue: JobQueue;
  /** Our own connection for SCAN / MEMORY USAGE / UNLINK. */
  readonly #admin = new Redis(REDIS_URL);
  #worker: Worker<JobData, void, string> | undefined;
  #onRun: ((id: string) => void) | undefined;
  #closing = false;

  constructor() {
    // Finished jobs are deleted, so memory stays bounded (BullMQ keeps them all by default).
    this.#queue = new Queue<JobData, void, string>(QUEUE, { connection: { url: REDIS_URL }, prefix: PREFIX, defaultJobOptions: { removeOnComplete: true } });
    this.#queue.on(
      'error',
      logErrors('BullMQ queue', () => this.#closing),
    );
  }

  async ready(): Promise<void> {
    await this.#queue.waitUntilReady();
  }

  async reset(): Promise<void> {
    // Every key of the prefix, rather than obliterate(), which walks the jobs in Lua and is slow for big queues.
    await redisDeletePrefix(this.#admin, `${PREFIX}:`);
  }

  async scheduleRecurring(count: number): Promise<void> {
    // `every` alone runs the first job at once; startDate puts it an hour away, as the others' hourly jobs are.
    const startDate = Date.now() + HOUR;
    const ids = Array.from({ length: count }, (_, i) => `recurring-${i}`);
    await inBatches(ids, CALLS_IN_FLIGHT, (id) => this.#queue.upsertJobScheduler(id, { every: HOUR, startDate }, { name: 'recurring', data: { id }, opts: { removeOnComplete: true } }));
  }

  size(): Promise<number> {
    return redisPrefixBytes(this.#admin, `${PREFIX}:`);
  }

  async addOneOff(jobs: readonly OneOff[]): Promise<void> {
    await inBatches(chunked(jobs, ADD_CHUNK), ADD_IN_FLIGHT, (chunk) => {
      const now = Date.now();
      return this.#queue.addBulk(chunk.map((job) => ({ name: 'run', data: { id: job.id }, opts: { jobId: job.id, delay: Math.max(0, job.at - now) } })));
    });
  }

  async bulkLoad(count: number, first: number, step: number): Promise<void> {
    // addBulk is BullMQ's bulk API: delayed jobs, each one script run (hash, delayed zset, event stream).
    const starts: number[] = [];
    for (let start = 0; start < count; start += BULK_CHUNK) starts.push(start);
    await inBatches(starts, BULK_IN_FLIGHT, (start) => {
      const now = Date.now();
      const jobs = Array.from({ length: Math.min(BULK_CHUNK, count - start) }, (_, k) => {
        const id = `bulk-${start + k}`;
        return { name: 'run', data: { id }, opts: { jobId: id, delay: Math.max(0, first + (start + k) * step - now) } };
      });
      return this.#queue.addBulk(jobs);
    });
  }

  async consume(onRun: (id: string) => void): Promise<void> {
    this.#onRun = onRun;
    if (this.#worker !== undefined) return;
    // maxRetriesPerRequest: null is set by BullMQ itself on the connections it creates for a worker from options.
    this.#worker = new Worker<JobData, void, string>(
      QUEUE,
      async (job) => {
        this.#onRun?.(job.data.id ?? job.id ?? '');
      },
      { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: PREFIX, concurrency: CONCURRENCY },
    );
    this.#worker.on(
      'error',
      logErrors('BullMQ worker', () => this.#closing),
    );
    await this.#worker.waitUntilReady();
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#worker?.close();
    await this.#queue.close();
    await this.#admin.quit();
  }
}

export const bullmq: Contender = {
  name: 'BullMQ',
  server: 'Redis',
  jobstore: false,
  version: packageVersion('bullmq'),
  async open() {
    const client = new BullmqClient();
    await client.ready();
    return client;
  },
};
