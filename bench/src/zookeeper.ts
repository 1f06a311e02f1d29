import { connect, zookeeperBackend } from './backends/zookeeper.js';
import { machine, publish } from './measure.js';
import { measureBackend, storeTables } from './store-bench.js';
import { ZOOKEEPER_HOSTS as connectionString } from './urls.js';

/**
 * The ZooKeeper store against the local server (scripts/zookeeper.sh start): add rate,
 * claim-and-release throughput of 10,000 due jobs with 1, 4 and 8 acquirers, next-run and claim
 * latency at 10k and 100k jobs. `--quick`: fewer samples.
 */
const quick = process.argv.includes('--quick');
const BIG = 100_000;

console.error('measuring ZooKeeper…');
const result = await measureBackend(zookeeperBackend(await connect(), '/jobstore-bench', 'bench_jobs'), BIG, quick ? 200 : 1000);

publish(
  'zookeeper',
  [
    '# ZooKeeper store',
    '',
    `Made by \`pnpm --filter @jobstore/bench bench:zookeeper\` (from the repository root), which builds and runs \`node bench/dist/zookeeper.js${quick ? ' --quick' : ''} --write\`,`,
    `against the local ZooKeeper (${connectionString}, from \`scripts/zookeeper.sh start\`: Debian's package, one server, data on local disk).`,
    '',
    ...storeTables([result], BIG),
    '',
    'Every write is one `multi` through the single server, synced to its transaction log; each claim and release of a',
    "batch is one such write. More acquirers are slower, not faster: every store applies every other store's log",
    'records to its index, and candidates claimed by another store meanwhile make a batch fall back to one-by-one claims.',
    'Next-run time is answered from the in-memory index after one round trip, so it does not grow with the jobs.',
    '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n'),
);
