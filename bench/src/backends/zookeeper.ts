import { decodeId, encodeChange, encodeId, encodeRecord, ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { BULK_DATA, type BenchBackend } from '../store-bench.js';
import { ZOOKEEPER_HOSTS as connectionString } from '../urls.js';
/** What ZooKeeper keeps per znode besides its data: path, stat and ACL, about a hundred bytes. */
const NAME_OVERHEAD = 100;

function call<T>(run: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));
}

function commit(client: Client, build: (transaction: ReturnType<Client['transaction']>) => void): Promise<void> {
  const transaction = client.transaction();
  build(transaction);
  return call((done) => transaction.commit((error) => done(error)));
}

export async function connect(): Promise<Client> {
  const client = zookeeper.createClient(connectionString, { sessionTimeout: 30_000 });
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  return client;
}

/** The store's protocol for writers past it: job znodes, then a change record naming them. */
export function zookeeperBackend(admin: Client, root: string, namespace: string): BenchBackend {
  const path = `${root}/${namespace}`;
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
      const data = BULK_DATA;
      const chunks: Promise<void>[] = [];
      for (let start = 0; start < count; start += 1000) {
        const ids = Array.from({ length: Math.min(1000, count - start) }, (_, k) => `${prefix}${start + k}`);
        chunks.push(
          commit(admin, (t) => {
            ids.forEach((id, k) => {
              t.create(`${path}/jobs/${encodeId(id)}`, encodeRecord({ id, version: 1, nextRunTime: first + (start + k) * step, data, acquiredBy: null, acquiredUntil: null }));
            });
            t.create(`${path}/events/e-`, encodeChange(ids), events);
          }),
        );
        if (chunks.length >= 8) await Promise.all(chunks.splice(0));
      }
      await Promise.all(chunks);
    },
    async size() {
      // The job znodes' data, as ZooKeeper keeps it (each znode also costs the server ~100 bytes of its own).
      const names = await call<string[]>((done) => admin.getChildren(`${path}/jobs`, (error, children) => done(error, children)));
      let bytes = 0;
      for (let i = 0; i < names.length; i += 500) {
        const stats = await Promise.all(
          names.slice(i, i + 500).map((name) => call<{ dataLength: number } | null>((done) => admin.exists(`${path}/jobs/${name}`, (error, stat) => done(error, stat as never)))),
        );
        for (const stat of stats) bytes += (stat?.dataLength ?? 0) + NAME_OVERHEAD;
      }
      return bytes;
    },
    close: async () => {
      admin.close();
    },
  };
}
