import { execFileSync } from 'node:child_process';
import { padTime, redisKeys, RedisJobStore } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import { machine, publish, rate } from './measure.js';
import { measureBackend, storeTables, type BenchBackend } from './store-bench.js';

/**
 * The Redis store (the local server): the store benchmark, beside `redis-benchmark` of plain SET
 * and ZADD on the same server as the ceiling. `--quick`: 100k instead of 1M jobs.
 */
const quick = process.argv.includes('--quick');
const BIG = quick ? 100_000 : 1_000_000;
const url = process.env['JOBSTORE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const namespace = 'bench_jobs';
const prefix = 'jobstore-bench';
const keys = redisKeys(prefix, namespace);

function redisBackend(): BenchBackend {
  const admin = new Redis(url);
  return {
    label: 'Redis',
    open: () => new RedisJobStore({ url, namespace, prefix }),
    async reset() {
      await admin.del(...keys.all);
    },
    async bulkInsert(idPrefix, count, first, step) {
      const data = '{"v":1,"d":{"task":"reports:send","args":[1]}}';
      for (let start = 0; start < count; start += 10_000) {
        const pipeline = admin.pipeline();
        for (let i = start; i < Math.min(count, start + 10_000); i++) {
          const id = `${idPrefix}${i}`;
          const time = padTime(first + i * step);
          pipeline.hset(keys.jobs, id, `1,${time},${data}`);
          pipeline.zadd(keys.due, 0, `${time}\0${id}`);
        }
        await pipeline.exec();
      }
    },
    close: async () => {
      admin.disconnect();
    },
  };
}

/** redis-benchmark's own figure for a plain command on the same server, in requests per second. */
function ceiling(command: string, pipeline: number): number {
  const { port, hostname } = new URL(url);
  const output = execFileSync('redis-benchmark', ['-h', hostname, '-p', port || '6379', '-t', command, '-n', '100000', '-c', '16', '-P', String(pipeline), '-q', '--csv']).toString();
  const line = output.split('\n').find((l) => l.toLowerCase().startsWith(`"${command.toLowerCase()}`)) ?? '';
  return Number(line.split(',')[1]?.replace(/"/g, ''));
}

console.error('measuring Redis…');
const result = await measureBackend(redisBackend(), BIG, quick ? 200 : 1000);
const set = ceiling('set', 1);
const zadd = ceiling('zadd', 1);
const zaddPipelined = ceiling('zadd', 16);

publish(
  'redis',
  [
    '# Redis store',
    '',
    `Made by \`pnpm --filter @jobstore/bench bench:redis\` (from the repository root), which builds and runs \`node bench/dist/redis.js${quick ? ' --quick' : ''} --write\`,`,
    `against the local Redis (${url}).`,
    '',
    ...storeTables([result], BIG),
    '',
    '## The ceiling: the server with its own tool',
    '',
    '| `redis-benchmark -n 100000 -c 16` | requests per second |',
    '| --- | ---: |',
    `| SET | ${rate(set)} |`,
    `| ZADD | ${rate(zadd)} |`,
    `| ZADD, 16 pipelined (-P 16) | ${rate(zaddPipelined)} |`,
    '',
    `A job store call is one script doing several commands (adding a job: HEXISTS, HSET, ZADD, PUBLISH), so one`,
    `add costs about what ${Math.round(set / result.add)} SETs do. Claiming and releasing 100 jobs takes two scripts, so`,
    'claim-and-release runs at a higher rate per job than single commands do.',
    '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n'),
);
