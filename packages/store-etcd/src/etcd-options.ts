import { checkStoreOptions, InvalidArgumentError, type StoreOptions } from '@jobstore/core';
import type { Etcd3, IOptions } from 'etcd3';
import { etcdKeys, type EtcdKeys } from './layout.js';

/** etcd's default `--max-request-bytes` (1.5 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/** Options of {@link createStore} (and {@link EtcdJobStore}), besides those every store takes ({@link StoreOptions}: `logger`). */
export interface EtcdJobStoreOptions extends StoreOptions {
  /** `http://host:port` of one or more etcd members: the store connects (and on close, disconnects). */
  readonly hosts?: string | readonly string[];
  /** Your etcd3 client; the store uses it and leaves it open. */
  readonly client?: Etcd3;
  /** Extra etcd3 options (TLS, auth, fault handling) for the client the store makes. */
  readonly etcdOptions?: Omit<IOptions, 'hosts'>;
  /** Separates independent stores on one cluster (a letter, then letters, digits, _); default "jobs". */
  readonly namespace?: string;
  /** The first part of every key; default "jobstore". */
  readonly prefix?: string;
  /** How long one call to etcd may take before it fails (StoreUnavailableError), in ms; default 10,000. */
  readonly callTimeout?: number;
  /** The server's `--max-request-bytes`, named in JobTooLargeError; default 1,572,864 (etcd's default). */
  readonly maxRequestBytes?: number;
}

/** The options once checked: what the driver is made from. */
export interface EtcdSettings {
  readonly namespace: string;
  readonly keys: EtcdKeys;
  /** The members to connect to; empty when given a client. */
  readonly hosts: readonly string[];
  readonly client: Etcd3 | undefined;
  readonly etcdOptions: Omit<IOptions, 'hosts'> | undefined;
  readonly callTimeout: number;
  readonly maxRequestBytes: number;
}

const STORE = 'EtcdJobStore';

/** Checks `options` when the store is made, before anything connects: InvalidArgumentError naming the option. */
export function checkOptions(options: EtcdJobStoreOptions): EtcdSettings {
  const namespace = checkStoreOptions(options, STORE, { connection: ['hosts', 'client'] });
  const keys = etcdKeys(options.prefix ?? 'jobstore', namespace);
  const callTimeout = options.callTimeout ?? 10_000;
  if (!Number.isInteger(callTimeout) || callTimeout < 100 || callTimeout > 600_000) {
    throw new InvalidArgumentError(`${STORE}: callTimeout must be a whole number of ms from 100 to 600000, got ${String(callTimeout)}`);
  }
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1024) {
    throw new InvalidArgumentError(`${STORE}: maxRequestBytes must be a whole number of bytes of at least 1024, got ${String(maxRequestBytes)}`);
  }
  return { namespace, keys, hosts: checkHosts(options), client: options.client, etcdOptions: options.etcdOptions, callTimeout, maxRequestBytes };
}

function checkHosts({ hosts, client }: EtcdJobStoreOptions): readonly string[] {
  if (client !== undefined) return [];
  const list = typeof hosts === 'string' ? [hosts] : [...(hosts ?? [])];
  if (list.length === 0 || !list.every((host) => typeof host === 'string' && /^https?:\/\/[^/\s]+\/?$/.test(host))) {
    throw new InvalidArgumentError(`${STORE}: hosts must be http(s)://host:port URLs, got ${JSON.stringify(hosts)}`);
  }
  return list;
}
