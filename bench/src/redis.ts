import { redisBackend } from './backends/redis.js';
import { redisCeiling } from './ceilings.js';
import { machine, publish, rate } from './measure.js';
import { measureBackend, storeTables } from './store-bench.js';
import { REDIS_URL as url } from './urls.js';

/**
 * The Redis store (the local server): the store benchmark, beside `redis-benchmark` of plain SET
 * and ZADD on the same server as the ceiling. `--quick`: 100k instead of 1M jobs.
 */
const quick = process.argv.includes('--quick');
const BIG = quick ? 100_000 : 1_000_000;

console.error('measuring Redis…');
const result = await measureBackend(redisBackend('jobstore-bench', 'bench_jobs'), BIG, quick ? 200 : 1000);
const set = redisCeiling(url, 'set');
const zadd = redisCeiling(url, 'zadd');
const zaddPipelined = redisCeiling(url, 'zadd', 16);

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
