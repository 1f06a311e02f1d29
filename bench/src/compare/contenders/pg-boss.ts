import pg from 'pg';
import PgBoss from 'pg-boss';
import { PG_URL } from '../../urls.js';
import { chunked, inBatches, type Contender, type ContenderClient, type JobData, type OneOff } from '../contender.js';
import { logErrors, packageVersion } from './peer-support.js';

/** Its own schema: pg-boss installs its tables, functions and one partition per queue there. */
const SCHEMA = 'jobstore_cmp_pgboss';
const QUEUE = 'cmp';
/** Its minimum (POLICY.MIN_POLLING_INTERVAL_MS in pg-boss 10 is 500 ms); the default is 2 s. pg-boss 10 only polls. */
const POLLING_SECONDS = 0.5;
/**
 * A worker fetches a batch, runs it, completes it, then waits out the rest of the polling interval,
 * so one worker runs at most BATCH jobs per 0.5 s. pg-boss 10 has no per-worker concurrency option
 * (teamSize went in v10); its documented way to run more at once is more work() calls, each a worker.
 */
const BATCH = 100;
const WORKERS = 16;
/** Jobs per insert() (one statement over a JSON array) and how many of those in flight. */
const ADD_CHUNK = 1_000;
const ADD_IN_FLIGHT = 4;
const BULK_CHUNK = 20_000;
/** Partitions dropped per statement on reset: one DROP SCHEMA … CASCADE over thousands would exceed the server's lock table. */
const DROP_BATCH = 100;

class PgBossClient implements ContenderClient {
  /** Our own connections, for size, reset and the schema's partitions. */
  readonly #admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  #boss: PgBoss | undefined;
  #onRun: ((id: string) => void) | undefined;
  #closing = false;

  /** A started instance, with the benchmark's queue created. */
  async start(): Promise<void> {
    const boss = new PgBoss({ connectionString: PG_URL, schema: SCHEMA });
    boss.on(
      'error',
      logErrors('pg-boss', () => this.#closing),
    );
    await boss.start();
    await boss.createQueue(QUEUE);
    this.#boss = boss;
    if (this.#onRun !== undefined) await this.#work();
  }

  get #started(): PgBoss {
    if (this.#boss === undefined) throw new Error('pg-boss is not started');
    return this.#boss;
  }

  async reset(): Promise<void> {
    // Its schema goes, and a new instance installs it again: the quickest way to drop every queue.
    await this.#stop();
    for (;;) {
      const { rows } = await this.#admin.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' LIMIT ${DROP_BATCH}`,
        [SCHEMA],
      );
      if (rows.length === 0) break;
      await this.#admin.query(`DROP TABLE ${rows.map((row) => `${SCHEMA}."${row.name}"`).join(', ')}`);
    }
    await this.#admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await this.start();
  }

  async scheduleRecurring(count: number): Promise<void> {
    // pg-boss 10 keeps one schedule per queue (schedule.name is the queue), so each recurring job is its own
    // queue, which is its own partition of the job table. Hourly in cron, its only repeat form. One at a time:
    // create_queue takes locks on the queue table and the partitioned job table, so concurrent ones only wait.
    const boss = this.#started;
    for (let i = 0; i < count; i++) {
      const name = `r_recurring-${i}`;
      await boss.createQueue(name);
      await boss.schedule(name, '0 * * * *', { id: `recurring-${i}` });
    }
  }

  async size(): Promise<number> {
    // Every table of the schema with its indexes and TOAST: the job partitions, archive, queue, schedule, …
    const { rows } = await this.#admin.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [SCHEMA],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async addOneOff(jobs: readonly OneOff[]): Promise<void> {
    const boss = this.#started;
    await inBatches(chunked(jobs, ADD_CHUNK), ADD_IN_FLIGHT, (chunk) => boss.insert(chunk.map((job) => ({ name: QUEUE, data: { id: job.id }, startAfter: new Date(job.at) }))));
  }

  async bulkLoad(count: number, first: number, step: number): Promise<void> {
    // insert() is pg-boss's bulk API: one INSERT … SELECT FROM json_to_recordset per call.
    const boss = this.#started;
    for (let start = 0; start < count; start += BULK_CHUNK) {
      const jobs = Array.from({ length: Math.min(BULK_CHUNK, count - start) }, (_, k) => ({
        name: QUEUE,
        data: { id: `bulk-${start + k}` },
        startAfter: new Date(first + (start + k) * step),
      }));
      await boss.insert(jobs);
    }
  }

  async #work(): Promise<void> {
    const boss = this.#started;
    for (let i = 0; i < WORKERS; i++) {
      await boss.work<JobData>(QUEUE, { batchSize: BATCH, pollingIntervalSeconds: POLLING_SECONDS }, async (jobs) => {
        for (const job of jobs) this.#onRun?.(job.data.id);
      });
    }
  }

  async consume(onRun: (id: string) => void): Promise<void> {
    const first = this.#onRun === undefined;
    this.#onRun = onRun;
    if (first) await this.#work();
  }

  async #stop(): Promise<void> {
    const boss = this.#boss;
    this.#boss = undefined;
    // Graceful: a batch being handled is completed rather than failed (and retried, which would run it twice).
    // stop() also clears its maintenance, cron and clock timers and ends its pool.
    await boss?.stop({ graceful: true, wait: true, timeout: 5_000 });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#stop();
    await this.#admin.end();
  }
}

export const pgBoss: Contender = {
  name: 'pg-boss',
  server: 'PostgreSQL',
  jobstore: false,
  version: packageVersion('pg-boss'),
  limits: { recurring: { count: 1_000, why: 'one schedule per queue, each queue a partition of its job table' } },
  async open() {
    const client = new PgBossClient();
    await client.start();
    return client;
  },
};
