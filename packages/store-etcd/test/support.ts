import type { RawAccess } from '@jobstore/conformance';
import { decodeMeta, encodeId, encodeMeta, etcdKeys, indexKey, toStoredJob } from '@jobstore/store-etcd';
import { Etcd3 } from 'etcd3';

/** Every key of this test process starts here, so parallel runs and the shared server's other users are left alone. */
export const PREFIX = `jobstore-test-${process.pid}`;

export function admin(url: string): Etcd3 {
  return new Etcd3({ hosts: url });
}

/** Rows past the store: its keys, in its format. */
export function rawAccess(client: Etcd3, prefix = PREFIX): RawAccess {
  return {
    async read(namespace, id) {
      const keys = etcdKeys(prefix, namespace);
      const [meta, data] = await Promise.all([client.get(keys.jobs + encodeId(id)).string(), client.get(keys.data + encodeId(id)).string()]);
      const decoded = meta === null ? null : decodeMeta(meta);
      return decoded === null ? null : toStoredJob(id, decoded, data ?? '');
    },
    async write(namespace, row) {
      const keys = etcdKeys(prefix, namespace);
      const old = await client.get(keys.jobs + encodeId(row.id)).string();
      const oldMeta = old === null ? null : decodeMeta(old);
      const txn = client.if(keys.jobs + encodeId(row.id), 'Version', '>', -1);
      const ops = [client.put(keys.jobs + encodeId(row.id)).value(encodeMeta(row, 'updated')), client.put(keys.data + encodeId(row.id)).value(row.data)];
      if (oldMeta !== null && oldMeta.n !== row.nextRunTime) ops.push(client.put(indexKey(keys, row.id, oldMeta.n)).value(''));
      await txn.then(...ops).commit();
      if (oldMeta !== null && oldMeta.n !== row.nextRunTime) await client.delete().key(indexKey(keys, row.id, oldMeta.n));
      await client.put(indexKey(keys, row.id, row.nextRunTime)).value('');
    },
  };
}

/** Deletes every key under `<prefix>/<namespace>/` (or the whole prefix). */
export async function dropKeys(client: Etcd3, namespace?: string, prefix = PREFIX): Promise<void> {
  await client.delete().prefix(namespace === undefined ? `${prefix}/` : `${prefix}/${namespace}/`);
}
