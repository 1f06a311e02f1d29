import { BaseJobStore, checkStoreOptions, InvalidArgumentError, type JobStore, type StoreOptions } from '@jobstore/core';
import type { Client } from 'node-zookeeper-client';
import { checkRoot } from './layout.js';
import { ZooKeeperDriver } from './zookeeper-driver.js';
import { connectClient } from './zk.js';

/** Options of {@link ZooKeeperJobStore}, besides those every store takes ({@link StoreOptions}: `logger`). */
export interface ZooKeeperJobStoreOptions extends StoreOptions {
  /** `host:port[,host:port...]`: the store connects, and takes a new session if one expires. */
  readonly connectionString?: string;
  /** Your connected client; the store uses it and leaves it open (after its session expires, make a new store). */
  readonly client?: Client;
  /**
   * Makes a connected client (your ACLs, auth or hosts): called at open and again after a
   * session expires. The store closes the clients it got from it.
   */
  readonly connect?: () => Promise<Client>;
  /** The parent path of every store's znodes, created if missing; default `/jobstore`. */
  readonly root?: string;
  /** This store's node under the root (a letter, then letters, digits, _); default `jobs`. */
  readonly namespace?: string;
  /** Session timeout in ms for a connection the store makes; default 10,000. */
  readonly sessionTimeout?: number;
}

/**
 * APScheduler's ZooKeeperJobStore for Node: one znode per job, compare-and-set writes, claims as
 * multi transactions, a watched in-memory index for the due order, and notifications from watches.
 */
export class ZooKeeperJobStore extends BaseJobStore {
  /** The znode under which this store keeps its jobs. */
  readonly path: string;

  constructor(options: ZooKeeperJobStoreOptions) {
    const namespace = checkStoreOptions(options, 'ZooKeeperJobStore', { connection: ['connectionString', 'client', 'connect'] });
    const path = `${checkRoot(options.root ?? '/jobstore')}/${namespace}`;
    const { client, connectionString, connect } = options;
    if (connect !== undefined && typeof connect !== 'function') throw new InvalidArgumentError('ZooKeeperJobStore: connect must be a function returning a connected client');
    if (connectionString !== undefined && (typeof connectionString !== 'string' || !/^[A-Za-z0-9_.:[\],-]+$/.test(connectionString))) {
      throw new InvalidArgumentError(`ZooKeeperJobStore: connectionString must be host:port[,host:port...], got ${JSON.stringify(connectionString)}`);
    }
    const sessionTimeout = options.sessionTimeout ?? 10_000;
    if (!Number.isInteger(sessionTimeout) || sessionTimeout < 1000 || sessionTimeout > 600_000) {
      throw new InvalidArgumentError(`ZooKeeperJobStore: sessionTimeout must be a whole number of ms from 1000 to 600000, got ${String(sessionTimeout)}`);
    }
    const connection = client !== undefined ? { owned: false, connect: async () => client } : { owned: true, connect: connect ?? (() => connectClient(connectionString as string, sessionTimeout)) };
    super(new ZooKeeperDriver(`zookeeper:${namespace}`, path, connection), options);
    this.path = path;
  }
}

/** The store from plain options: how a scheduler's configuration (`{ type: 'zookeeper', connectionString }`) opens it. */
export function createStore(options: ZooKeeperJobStoreOptions): JobStore {
  return new ZooKeeperJobStore(options);
}
