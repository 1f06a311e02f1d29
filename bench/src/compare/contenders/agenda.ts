import { randomUUID } from 'node:crypto';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { RedisBackend } from '@agendajs/redis-backend';
import { Agenda, type AgendaBackend } from 'agenda';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PG_URL, REDIS_URL } from '../../urls.js';
import { CALLS_IN_FLIGHT, inBatches, type Contender, type ContenderClient, type JobData, type OneOff } from '../contender.js';
import { logErrors, packageVersion, redisDeletePrefix, redisPrefixBytes } from './peer-support.js';

/** Its own table (PostgreSQL), key prefix (Redis) and notification channel, apart from everything else on the servers. */
const TABLE = 'jobstore_cmp_agenda';
const KEY_PREFIX = 'jobstore-cmp-agenda:';
const CHANNEL = 'jobstore_cmp_agenda';

/**
 * The settings, chosen so Agenda is not held back by its defaults, which are made for a few slow jobs:
 * - processEvery 100 ms (default 5 s): the poll that finds due jobs, and how far ahead it locks them.
 *   Saves also notify every started instance (LISTEN/NOTIFY, pub/sub), which locks at once; the poll
 *   is the fallback, and at 100 ms it costs one indexed query (PostgreSQL) per name per tick.
 * - maxConcurrency and each definition's concurrency 256 (defaults 20 and 5), as BullMQ's worker.
 * - lockLimit and defaultLockLimit left at 0, their default: no cap on the jobs one instance locks
 *   ahead. A cap would be refilled only by the next poll or notification, throttling it to cap per tick.
 * - lock lifetime left at its default 10 minutes: a job locked and not started within it is taken
 *   over by another instance, so a shorter one risks double runs when one instance locks a big backlog.
 * - removeOnComplete: finished one-off jobs are deleted (Agenda keeps them by default), as BullMQ's are.
 */
const PROCESS_EVERY_MS = 100;
const CONCURRENCY = 256;

/** Where the jobs are stored, for what Agenda's API does not do: size, reset, bulk load. */
interface Storage {
  readonly backend: AgendaBackend;
  size(): Promise<number>;
  reset(): Promise<void>;
  bulkLoad(count: number, first: number, step: number): Promise<void>;
  close(): Promise<void>;
}

function postgresStorage(): Storage {
  const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  return {
    backend: new PostgresBackend({ connectionString: PG_URL, tableName: TABLE, channelName: CHANNEL }),
    async size() {
      const { rows } = await admin.query<{ bytes: string | null }>(`SELECT pg_total_relation_size(to_regclass($1)) AS bytes`, [TABLE]);
      return Number(rows[0]?.bytes ?? 0);
    },
    async reset() {
      await admin.query(`TRUNCATE "${TABLE}"`);
    },
    async bulkLoad(count, first, step) {
      // Agenda has no bulk insert (each save() is an INSERT and a NOTIFY): rows straight into its table,
      // as its saveJob() writes a new one-off job (@agendajs/postgres-backend schema.js), the rest defaults.
      for (let start = 0; start < count; start += 100_000) {
        const n = Math.min(100_000, count - start);
        await admin.query(
          `INSERT INTO "${TABLE}" (name, priority, next_run_at, type, data, disabled, fork)
           SELECT 'run', 0, to_timestamp(($1::bigint + ($2::bigint + g) * $3::bigint) / 1000.0), 'normal', jsonb_build_object('id', 'bulk-' || ($2::bigint + g)), false, false
           FROM generate_series(0, $4::int - 1) AS g`,
          [first, start, step, n],
        );
      }
      await admin.query(`ANALYZE "${TABLE}"`);
    },
    close: () => admin.end(),
  };
}

function redisStorage(): Storage {
  const admin = new Redis(REDIS_URL);
  const key = (suffix: string): string => `${KEY_PREFIX}${suffix}`;
  return {
    backend: new RedisBackend({ connectionString: REDIS_URL, keyPrefix: KEY_PREFIX, channelName: `${KEY_PREFIX}notifications` }),
    size: () => redisPrefixBytes(admin, KEY_PREFIX),
    reset: () => redisDeletePrefix(admin, KEY_PREFIX),
    async bulkLoad(count, first, step) {
      // Agenda has no bulk insert (each save() is six round trips and a PUBLISH): the same writes its
      // RedisJobRepository.saveJob() makes for a new one-off job (the job hash, the all / by-name sets, the
      // by-next-run-at sorted set scored nextRunAt + (100 - priority) / 1000), pipelined 10,000 jobs at a time.
      const now = new Date().toISOString();
      for (let start = 0; start < count; start += 10_000) {
        const pipeline = admin.pipeline();
        const ids: string[] = [];
        for (let i = start; i < Math.min(count, start + 10_000); i++) {
          const id = randomUUID();
          const at = first + i * step;
          ids.push(id);
          pipeline.hset(key(`job:${id}`), {
            id,
            name: 'run',
            priority: '0',
            nextRunAt: new Date(at).toISOString(),
            type: 'normal',
            lockedAtMs: 'null',
            lastFinishedAt: 'null',
            failedAt: 'null',
            failCount: 'null',
            failReason: 'null',
            repeatTimezone: 'null',
            lastRunAt: 'null',
            repeatInterval: 'null',
            data: JSON.stringify({ id: `bulk-${i}` }),
            repeatAt: 'null',
            disabled: 'false',
            progress: 'null',
            fork: 'false',
            lastModifiedBy: 'null',
            debounceStartedAt: 'null',
            startDate: 'null',
            endDate: 'null',
            skipDays: 'null',
            createdAt: now,
            updatedAt: now,
          });
          pipeline.zadd(key('jobs:by_next_run_at'), at + 0.1, id);
        }
        pipeline.sadd(key('jobs:all'), ...ids);
        pipeline.sadd(key('jobs:by_name:run'), ...ids);
        await pipeline.exec();
      }
    },
    close: async () => {
      await admin.quit();
    },
  };
}

class AgendaClient implements ContenderClient {
  readonly #storage: Storage;
  readonly #agenda: Agenda;
  #onRun: ((id: string) => void) | undefined;
  #closing = false;

  constructor(storage: Storage) {
    this.#storage = storage;
    this.#agenda = new Agenda({ backend: storage.backend, processEvery: PROCESS_EVERY_MS, maxConcurrency: CONCURRENCY, defaultConcurrency: CONCURRENCY, removeOnComplete: true });
    this.#agenda.on(
      'error',
      logErrors('Agenda', () => this.#closing),
    );
  }

  /**
   * Started with no job defined, so it runs nothing until consume(): started, it has its notification
   * channel connected, so its saves wake the consuming instances at once (an unstarted one's saves
   * notify no one, and are found only by their next poll).
   */
  async start(): Promise<void> {
    await this.#agenda.start();
  }

  reset(): Promise<void> {
    return this.#storage.reset();
  }

  async scheduleRecurring(count: number): Promise<void> {
    // Distinct jobs (every() would keep one per name); skipImmediate: the first run an hour away, as the others'.
    const ids = Array.from({ length: count }, (_, i) => `recurring-${i}`);
    await inBatches(ids, CALLS_IN_FLIGHT, (id) => this.#agenda.create<JobData>('recurring', { id }).repeatEvery('1 hour', { skipImmediate: true }).save());
  }

  size(): Promise<number> {
    return this.#storage.size();
  }

  async addOneOff(jobs: readonly OneOff[]): Promise<void> {
    await inBatches(jobs, CALLS_IN_FLIGHT, (job) => this.#agenda.create<JobData>('run', { id: job.id }).schedule(new Date(job.at)).save());
  }

  bulkLoad(count: number, first: number, step: number): Promise<void> {
    return this.#storage.bulkLoad(count, first, step);
  }

  async consume(onRun: (id: string) => void): Promise<void> {
    const first = this.#onRun === undefined;
    this.#onRun = onRun;
    if (!first) return;
    // Defined now, on the started instance: its next poll (or notification) starts running them.
    const options = { concurrency: CONCURRENCY };
    this.#agenda.define<JobData>(
      'run',
      async (job) => {
        this.#onRun?.(job.attrs.data.id);
      },
      options,
    );
    this.#agenda.define<JobData>(
      'recurring',
      async (job) => {
        this.#onRun?.(job.attrs.data.id);
      },
      options,
    );
  }

  async close(): Promise<void> {
    this.#closing = true;
    // Unlocks the jobs it locked but did not start, disconnects the channel and the backend's own connections.
    await this.#agenda.stop();
    await this.#storage.close();
  }
}

const agendaVersion = packageVersion('agenda');

function agendaContender(name: string, server: 'PostgreSQL' | 'Redis', backendPackage: string, storage: () => Storage, limits?: Contender['limits']): Contender {
  return {
    name,
    server,
    ...(limits === undefined ? {} : { limits }),
    jobstore: false,
    version: `${agendaVersion} + ${packageVersion(backendPackage)}`,
    async open(): Promise<ContenderClient> {
      const client = new AgendaClient(storage());
      await client.start();
      return client;
    },
  };
}

export const agendaPostgres: Contender = agendaContender('Agenda (PostgreSQL)', 'PostgreSQL', '@agendajs/postgres-backend', postgresStorage);
/**
 * Its Redis backend claims a job with one script that reads every job of the name (SMEMBERS, then
 * ZSCORE and HGETALL of each, and a sort) to lock one: a claim costs O(jobs), so a backlog of N
 * costs O(N²) to drain: with 10,000 jobs due at once none had started after 60 s, and beside
 * 20,000 jobs due later a due job was not picked up within 10 s.
 */
const ON_EVERY_CLAIM = 'its Redis backend reads every job of the name to claim one';
export const agendaRedis: Contender = agendaContender('Agenda (Redis)', 'Redis', '@agendajs/redis-backend', redisStorage, {
  dispatch: { count: 2_000, why: ON_EVERY_CLAIM },
  backlog: { count: 10_000, why: ON_EVERY_CLAIM },
});
