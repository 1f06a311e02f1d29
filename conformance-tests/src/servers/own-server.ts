import { spawn, type ChildProcess } from 'node:child_process';
import { waitForPort } from './free-port.js';

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

/** A server that is one child process: started with `command`, up once `port` accepts connections. */
export function childServer(command: string, args: readonly string[], port: number, what: string): Pick<OwnServer, 'start' | 'kill'> {
  let child: ChildProcess | undefined;
  return {
    async start() {
      child = spawn(command, [...args], { stdio: 'ignore' });
      await waitForPort(port, 30_000, `${what} on port ${port}`);
    },
    async kill() {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
}
