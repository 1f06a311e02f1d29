import zookeeper, { type Client, type Event, type Stat } from 'node-zookeeper-client';

/** Operations take at most this long: a call made while ZooKeeper is away fails instead of waiting. */
const TIMEOUT_MS = 10_000;

const { Exception } = zookeeper;
export const CODES = {
  noNode: Exception.NO_NODE,
  nodeExists: Exception.NODE_EXISTS,
  badVersion: Exception.BAD_VERSION,
  notEmpty: Exception.NOT_EMPTY,
};

/** A ZooKeeper error's code, or undefined. */
export function codeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : undefined;
}

export class ZkTimeoutError extends Error {
  constructor(operation: string) {
    super(`ZooKeeper did not answer ${operation} within ${TIMEOUT_MS} ms`);
    this.name = 'ZkTimeoutError';
  }
}

/** Connection loss, an expired session and our own timeout: ZooKeeper away, not a bad request. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ZkTimeoutError) return true;
  const code = codeOf(error);
  return code === Exception.CONNECTION_LOSS || code === Exception.SESSION_EXPIRED || code === Exception.OPERATION_TIMEOUT;
}

function call<T>(operation: string, run: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ZkTimeoutError(operation)), TIMEOUT_MS);
    run((error, value) => {
      clearTimeout(timer);
      if (error !== null && error !== undefined) reject(error);
      else resolve(value as T);
    });
  });
}

export type Watcher = (event: Event) => void;

/** An operation of a multi transaction. */
export type MultiOp =
  | { readonly type: 'setData'; readonly path: string; readonly data: Buffer; readonly version: number }
  | { readonly type: 'remove'; readonly path: string; readonly version: number }
  | { readonly type: 'create'; readonly path: string; readonly data: Buffer; readonly sequential?: boolean };

/** The promise-based calls the store makes, on one client. */
export class Zk {
  constructor(readonly client: Client) {}

  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | undefined; stat: Stat }> {
    return call('getData', (done) => {
      const cb = (error: unknown, data: Buffer, stat: Stat): void => done(error, { data, stat });
      if (watcher === undefined) this.client.getData(path, cb);
      else this.client.getData(path, watcher, cb);
    });
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return call('getChildren', (done) => {
      const cb = (error: unknown, children: string[]): void => done(error, children);
      if (watcher === undefined) this.client.getChildren(path, cb);
      else this.client.getChildren(path, watcher, cb);
    });
  }

  create(path: string, data: Buffer): Promise<void> {
    return call('create', (done) => this.client.create(path, data, zookeeper.CreateMode.PERSISTENT, (error) => done(error)));
  }

  setData(path: string, data: Buffer, version: number): Promise<Stat> {
    return call('setData', (done) => this.client.setData(path, data, version, (error, stat) => done(error, stat)));
  }

  remove(path: string, version = -1): Promise<void> {
    return call('remove', (done) => this.client.remove(path, version, (error) => done(error)));
  }

  exists(path: string): Promise<boolean> {
    return call('exists', (done) => this.client.exists(path, (error, stat) => done(error, stat !== null && stat !== undefined)));
  }

  mkdirp(path: string): Promise<void> {
    return call('mkdirp', (done) => this.client.mkdirp(path, (error) => done(error)));
  }

  /**
   * One multi transaction: every op or none; `version` -1 means any version. Resolves with the
   * paths the creates made (a sequential create's path ends in its sequence number).
   */
  commit(ops: readonly MultiOp[]): Promise<string[]> {
    return call('multi', (done) => {
      const transaction = this.client.transaction();
      for (const op of ops) {
        if (op.type === 'setData') transaction.setData(op.path, op.data, op.version);
        else if (op.type === 'remove') transaction.remove(op.path, op.version);
        else transaction.create(op.path, op.data, op.sequential === true ? zookeeper.CreateMode.PERSISTENT_SEQUENTIAL : zookeeper.CreateMode.PERSISTENT);
      }
      // node-zookeeper-client's transaction ops read `version || -1`, which turns version 0 into
      // "any version": the compare-and-set would not compare. Put the versions back as given.
      const queued = (transaction as unknown as { ops: { version?: number }[] }).ops;
      ops.forEach((op, i) => {
        const entry = queued[i];
        if (entry !== undefined && op.type !== 'create') entry.version = op.version;
      });
      transaction.commit((error, results: { path?: string }[] | undefined) =>
        done(
          error,
          (results ?? []).flatMap((r) => (typeof r.path === 'string' ? [r.path] : [])),
        ),
      );
    });
  }
}

/** The parts of node-zookeeper-client's connection manager the handshake watchdog reads. */
interface ConnectionInternals {
  readonly state: number;
  readonly socket?: { readonly readyState: string; destroy(): void };
}

const CONNECTING = 1;
/** A session handshake takes milliseconds; one that has not answered in this long never will. */
const HANDSHAKE_MS = 2000;
const watched = new WeakSet<Client>();

/**
 * node-zookeeper-client times out a TCP connect, but not the session handshake after it: a server
 * that accepts the socket while it is still starting (seen when a server restarts under load)
 * may never answer the connect request, and the client then waits in CONNECTING forever, its
 * requests queued. While a socket is open and the handshake unanswered for HANDSHAKE_MS, this
 * destroys it, which makes the client connect again (as it does after any lost connection).
 */
export function watchHandshake(client: Client): void {
  if (watched.has(client)) return;
  watched.add(client);
  const manager = (client as unknown as { connectionManager?: ConnectionInternals }).connectionManager;
  if (manager === undefined) return;
  let stuck: ConnectionInternals['socket'];
  const timer = setInterval(() => {
    const socket = manager.state === CONNECTING && manager.socket?.readyState === 'open' ? manager.socket : undefined;
    // The same open socket still unanswered at the next look: give up on it.
    if (socket !== undefined && socket === stuck) socket.destroy();
    stuck = socket;
  }, HANDSHAKE_MS);
  timer.unref();
  const stop = (): void => clearInterval(timer);
  client.once('expired', stop);
  const close = client.close.bind(client);
  client.close = () => {
    stop();
    close();
  };
}

/** A connected client for `connectionString`. */
export function connectClient(connectionString: string, sessionTimeout: number): Promise<Client> {
  const client = zookeeper.createClient(connectionString, { sessionTimeout, spinDelay: 200, retries: 1 });
  watchHandshake(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new ZkTimeoutError(`connect to ${connectionString}`));
    }, TIMEOUT_MS);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}
