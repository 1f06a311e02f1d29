import { assertNamespace, BaseJobStore, InvalidArgumentError, type JobStore, type StoreOptions } from '@jobstore/core';
import { Etcd3, type IOptions } from 'etcd3';
import { EtcdDriver, type EtcdConnection } from './etcd-driver.js';
import { etcdKeys, type EtcdKeys } from './layout.js';

/** etcd's default `--max-request-bytes` (1.5 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/** Options of {@link EtcdJobStore}, besides those every store takes ({@link StoreOptions}: `logger`). */
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

/**
 * A job store on etcd v3: one key per row, its data and its place in the due order beside it;
 * every write and every claim is a transaction comparing mod revisions, so two schedulers never
 * both claim a job; changes reach every process through an etcd watch.
 */
export class EtcdJobStore extends BaseJobStore {
  /** The keys this store uses. */
  readonly keys: EtcdKeys;

  constructor(options: EtcdJobStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('EtcdJobStore: options must be an object');
    const namespace = options.namespace ?? 'jobs';
    assertNamespace(namespace, 'EtcdJobStore');
    const keys = etcdKeys(options.prefix ?? 'jobstore', namespace);
    if ([options.client, options.hosts].filter((given) => given !== undefined).length !== 1) throw new InvalidArgumentError('EtcdJobStore: give one of hosts or client');
    const callTimeout = options.callTimeout ?? 10_000;
    if (!Number.isInteger(callTimeout) || callTimeout < 100 || callTimeout > 600_000) {
      throw new InvalidArgumentError(`EtcdJobStore: callTimeout must be a whole number of ms from 100 to 600000, got ${String(callTimeout)}`);
    }
    const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1024) throw new InvalidArgumentError(`EtcdJobStore: maxRequestBytes must be a whole number of bytes of at least 1024, got ${String(maxRequestBytes)}`);
    super(new EtcdDriver(`etcd:${namespace}`, keys, connectionFor(options, callTimeout), maxRequestBytes), options);
    this.keys = keys;
  }
}

/**
 * A fault-handling policy that runs the call once, as it is (etcd3 calls only its `execute`).
 * Async, so that a call that throws at once rejects: etcd3 marks a failed watch stream with a
 * callback that throws and catches the rejection, and a synchronous throw would end the process.
 */
const PASS_THROUGH = { execute: async <T>(call: () => Promise<T>): Promise<T> => call() } as unknown as NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

function connectionFor(options: EtcdJobStoreOptions, callTimeout: number): EtcdConnection {
  if (options.client !== undefined) return { client: options.client, close: async () => undefined };
  const hosts = typeof options.hosts === 'string' ? [options.hosts] : [...(options.hosts ?? [])];
  if (hosts.length === 0 || !hosts.every((host) => typeof host === 'string' && /^https?:\/\/[^/\s]+\/?$/.test(host))) {
    throw new InvalidArgumentError(`EtcdJobStore: hosts must be http(s)://host:port URLs, got ${JSON.stringify(options.hosts)}`);
  }
  const client = new Etcd3({
    // No retries and no circuit breaker unless asked for: a retried write may have committed the
    // first time, and an open breaker fails every call for 5 s, lease extensions included, which
    // lets leases run out under a live scheduler. A failed call is StoreUnavailableError; the
    // scheduler tries again.
    faultHandling: { global: PASS_THROUGH, host: () => PASS_THROUGH },
    ...options.etcdOptions,
    hosts,
    // A listing of many large jobs can exceed gRPC's 4 MiB default for one reply.
    grpcOptions: { 'grpc.max_receive_message_length': -1, ...options.etcdOptions?.grpcOptions },
    // A deadline on every call but the watch stream, so a call fails instead of waiting while etcd is away.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeout }),
  });
  return { client, close: async () => client.close() };
}

/** The store from plain options: how a scheduler's configuration (`{ type: 'etcd', hosts }`) opens it. */
export function createStore(options: EtcdJobStoreOptions): JobStore {
  return new EtcdJobStore(options);
}
