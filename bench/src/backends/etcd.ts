import { encodeId, encodeMeta, etcdKeys, EtcdJobStore, indexKey } from '@jobstore/store-etcd';
import { Etcd3 } from 'etcd3';
import { BULK_DATA, type BenchBackend } from '../store-bench.js';
import { ETCD_URL } from '../urls.js';

/** etcd's default --max-txn-ops is 128; a job is three keys. */
const JOBS_PER_TXN = 42;

export function connect(): Etcd3 {
  return new Etcd3({ hosts: ETCD_URL, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
}

/** The store's keys written past it: row, data and index entry of each job, in transactions of 42 jobs. */
export function etcdBackend(admin: Etcd3, prefix: string, namespace: string): BenchBackend {
  const keys = etcdKeys(prefix, namespace);
  return {
    label: 'etcd',
    open: () => new EtcdJobStore({ hosts: ETCD_URL, prefix, namespace }),
    async reset() {
      await admin.delete().prefix(keys.base);
    },
    async bulkInsert(idPrefix, count, first, step) {
      const commits: Promise<unknown>[] = [];
      for (let start = 0; start < count; start += JOBS_PER_TXN) {
        const ops = [];
        for (let i = start; i < Math.min(count, start + JOBS_PER_TXN); i++) {
          const id = `${idPrefix}${i}`;
          const row = { id, version: 1, nextRunTime: first + i * step, data: BULK_DATA, acquiredBy: null, acquiredUntil: null };
          ops.push(admin.put(keys.jobs + encodeId(id)).value(encodeMeta(row, 'added')), admin.put(keys.data + encodeId(id)).value(BULK_DATA), admin.put(indexKey(keys, id, row.nextRunTime)).value(''));
        }
        commits.push(
          admin
            .if(keys.cleared, 'Version', '>', -1)
            .then(...ops)
            .commit(),
        );
        if (commits.length >= 16) await Promise.all(commits.splice(0));
      }
      await Promise.all(commits);
    },
    async size() {
      // Keys and values as etcd holds them now (its MVCC history, and the database file, are larger).
      const all = await admin.getAll().prefix(keys.base).buffers();
      return Object.entries(all).reduce((bytes, [key, value]) => bytes + Buffer.byteLength(key) + value.length, 0);
    },
    close: async () => {
      admin.close();
    },
  };
}
