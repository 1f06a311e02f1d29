/**
 * A server of a test's own, on a free port with its data in a temporary directory, for tests that
 * crash and restart a server: the machine's shared servers are never touched.
 */
export interface OwnServer {
  /** How a client reaches it: `postgres://…`, `redis://…`, `mysql://…`, `zookeeper://…`. */
  readonly url: string;
  readonly port: number;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Ends it at once (SIGKILL or immediate shutdown), as a crash would; its data stays. */
  kill(): Promise<void>;
  /** Kills it and removes its data. */
  destroy(): Promise<void>;
}
