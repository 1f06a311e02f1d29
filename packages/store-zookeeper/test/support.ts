import type { RawAccess } from '@jobstore/conformance';
import { decodeRecord, encodeChange, encodeId, encodeRecord } from '@jobstore/store-zookeeper';
import zookeeper, { type Client } from 'node-zookeeper-client';

export const ROOT = `/jobstore-test-${process.pid}`;

/** host:port from a zookeeper://host:port URL. */
export function connectionString(url: string): string {
  return url.replace(/^zookeeper:\/\//, '').replace(/\/.*$/, '');
}

export function connect(url: string): Promise<Client> {
  const client = zookeeper.createClient(connectionString(url), { sessionTimeout: 10_000 });
  return new Promise((resolve) => {
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

const promisify = <T>(run: (done: (error: unknown, value?: T) => void) => void): Promise<T> => new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));

/** Deletes a tree depth first (node-zookeeper-client's removeRecursive fails below one level). */
export async function removeTree(client: Client, path: string): Promise<void> {
  let children: string[];
  try {
    children = await promisify<string[]>((done) => client.getChildren(path, (error, names) => done(error, names)));
  } catch {
    return;
  }
  for (const child of children) await removeTree(client, `${path}/${child}`);
  await promisify((done) => client.remove(path, -1, (error) => done(error))).catch(() => undefined);
}

/** Rows past the store: the job znodes, in its format. */
export function rawAccess(client: Client): RawAccess {
  return {
    async read(namespace, id) {
      try {
        const data = await promisify<Buffer>((done) => client.getData(`${ROOT}/${namespace}/jobs/${encodeId(id)}`, (error, value) => done(error, value)));
        return decodeRecord(id, data)?.row ?? null;
      } catch {
        return null;
      }
    },
    async write(namespace, row) {
      const path = `${ROOT}/${namespace}/jobs/${encodeId(row.id)}`;
      await promisify((done) => client.mkdirp(`${ROOT}/${namespace}/jobs`, (error) => done(error)));
      await promisify((done) => client.mkdirp(`${ROOT}/${namespace}/events`, (error) => done(error)));
      await promisify((done) => client.remove(path, -1, (error) => done(error))).catch(() => undefined);
      await promisify((done) => client.create(path, encodeRecord(row), (error) => done(error)));
      // A writer that speaks the store's protocol logs the change, so open stores read it.
      await promisify((done) => client.create(`${ROOT}/${namespace}/events/e-`, encodeChange([row.id]), zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, (error) => done(error)));
    },
  };
}
