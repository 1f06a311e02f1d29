import { decodeId, encodeChange, encodeId, encodeRecord, ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { machine, publish } from './measure.js';
import { measureBackend, storeTables, type BenchBackend } from './store-bench.js';

/**
 * The ZooKeeper store against the local server (scripts/zookeeper.sh start): add rate,
 * claim-and-release throughput of 10,000 due jobs with 1, 4 and 8 acquirers, next-run and claim
 * latency at 10k and 100k jobs. `--quick`: fewer samples.
 */
const quick = process.argv.includes('--quick');
const BIG = 100_000;
const connectionString = process.env['JOBSTORE_TEST_ZOOKEEPER_URL']?.replace(/^zookeeper:\/\//, '') ?? '127.0.0.1:2181';
const root = '/jobstore-bench';
const namespace = 'bench_jobs';
const path = `${root}/${namespace}`;

function call<T>(run: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));
}

function commit(client: Client, build: (transaction: ReturnType<Client['transaction']>) => void): Promise<void> {
  const transaction = client.transaction();
  build(transaction);
  return call((done) => transaction.commit((error) => done(error)));
}

async function connect(): Promise<Client> {
  const client = zookeeper.createClient(connectionString, { sessionTimeout: 30_000 });
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  return client;
}

/** The store's protocol for writers past it: job znodes, then a change record naming them. */
function zookeeperBackend(admin: Client): BenchBackend {
  const events = zookeeper.CreateMode.PERSISTENT_SEQUENTIAL;
  return {
    label: 'ZooKeeper',
    open: () => new ZooKeeperJobStore({ connectionString, root, namespace, sessionTimeout: 30_000 }),
    async reset() {
      await call((done) => admin.mkdirp(`${path}/jobs`, (error) => done(error)));
      await call((done) => admin.mkdirp(`${path}/events`, (error) => done(error)));
      const names = await call<string[]>((done) => admin.getChildren(`${path}/jobs`, (error, children) => done(error, children)));
      for (let i = 0; i === 0 || i < names.length; i += 1000) {
        const chunk = names.slice(i, i + 1000);
        await commit(admin, (t) => {
          for (const name of chunk) t.remove(`${path}/jobs/${name}`, -1);
          t.create(`${path}/events/e-`, encodeChange(chunk.map(decodeId), i === 0 ? '{"t":"cleared"}' : null), events);
        });
      }
    },
    async bulkInsert(prefix, count, first, step) {
      const data = '{"v":1,"d":{"task":"reports:send","args":[1]}}';
      const chunks: Promise<void>[] = [];
      for (let start = 0; start < count; start += 1000) {
        const ids = Array.from({ length: Math.min(1000, count - start) }, (_, k) => `${prefix}${start + k}`);
        chunks.push(
          commit(admin, (t) => {
            ids.forEach((id, k) => t.create(`${path}/jobs/${encodeId(id)}`, encodeRecord({ id, version: 1, nextRunTime: first + (start + k) * step, data, acquiredBy: null, acquiredUntil: null })));
            t.create(`${path}/events/e-`, encodeChange(ids), events);
          }),
        );
        if (chunks.length >= 8) await Promise.all(chunks.splice(0));
      }
      await Promise.all(chunks);
    },
    close: async () => {
      admin.close();
    },
  };
}

console.error('measuring ZooKeeper…');
const result = await measureBackend(zookeeperBackend(await connect()), BIG, quick ? 200 : 1000);

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
    'batch is one such write. More acquirers are slower, not faster: every store applies every other store\'s log',
    'records to its index, and candidates claimed by another store meanwhile make a batch fall back to one-by-one claims.',
    'Next-run time is answered from the in-memory index after one round trip, so it does not grow with the jobs.',
    '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n'),
);
