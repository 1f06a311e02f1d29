import { Etcd3, type IOptions } from 'etcd3';
import type { EtcdConnection } from './etcd-driver.js';
import type { EtcdSettings } from './etcd-options.js';

/**
 * A fault-handling policy that runs the call once, as it is (etcd3 calls only its `execute`).
 * Async, so that a call that throws at once rejects: etcd3 marks a failed watch stream with a
 * callback that throws and catches the rejection, and a synchronous throw would end the process.
 */
const PASS_THROUGH = { execute: async <T>(call: () => Promise<T>): Promise<T> => call() } as unknown as NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** The caller's client, left open; or a client of the store's own, closed with the store. */
export function connectionFor(settings: EtcdSettings): EtcdConnection {
  const { client: given, etcdOptions, callTimeout } = settings;
  if (given !== undefined) return { client: given, close: async () => undefined };
  const client = new Etcd3({
    // No retries and no circuit breaker unless asked for: a retried write may have committed the
    // first time, and an open breaker fails every call for 5 s, lease extensions included, which
    // lets leases run out under a live scheduler. A failed call is StoreUnavailableError; the
    // scheduler tries again.
    faultHandling: { global: PASS_THROUGH, host: () => PASS_THROUGH },
    ...etcdOptions,
    hosts: [...settings.hosts],
    // A listing of many large jobs can exceed gRPC's 4 MiB default for one reply.
    grpcOptions: { 'grpc.max_receive_message_length': -1, ...etcdOptions?.grpcOptions },
    // A deadline on every call but the watch stream, so a call fails instead of waiting while etcd is away.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeout }),
  });
  return { client, close: async () => client.close() };
}
