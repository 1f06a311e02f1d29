import { connect, etcdBackend } from './backends/etcd.js';
import { machine, publish } from './measure.js';
import { measureBackend, storeTables } from './store-bench.js';
import { ETCD_URL } from './urls.js';

/**
 * The etcd store against the local server (scripts/etcd.sh start): add rate, claim-and-release
 * throughput of 10,000 due jobs with 1, 4 and 8 acquirers, next-run and claim latency at 10k and
 * 100k jobs. `--quick`: fewer samples.
 */
const quick = process.argv.includes('--quick');
const BIG = 100_000;

console.error('measuring etcd…');
const result = await measureBackend(etcdBackend(connect(), 'jobstore-bench', 'bench_jobs'), BIG, quick ? 200 : 1000);

publish(
  'etcd',
  [
    '# etcd store',
    '',
    `Made by \`pnpm --filter @jobstore/bench bench:etcd\` (from the repository root), which builds and runs \`node bench/dist/etcd.js${quick ? ' --quick' : ''} --write\`,`,
    `against the local etcd (${ETCD_URL}, from \`scripts/etcd.sh start\`: Debian's etcd-server package, one member, data on local disk). No peer scheduler runs on etcd; compare with [zookeeper.md](zookeeper.md), the other consensus store.`,
    '',
    ...storeTables([result], BIG),
    '',
    'Every write is one transaction through the single member, fsynced to its write-ahead log; a claim of a batch is one',
    'such transaction (after a range read of the due index and a read of those rows), and so is a release of up to 32 jobs.',
    'More acquirers race for the same first due keys: a claim that loses reads the page again, so they add little.',
    'Next-run time walks the due index from its start and stops at the first unleased job: it reads a page of index',
    'keys and their rows, whatever the number of jobs due later.',
    '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n'),
);
