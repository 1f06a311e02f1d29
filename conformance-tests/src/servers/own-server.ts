import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
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

/**
 * A server that is one child process, `command args`, up once `port` accepts connections; its data
 * lives in `dir`, which destroy() removes. Not started: call start().
 */
export function childServer(options: { command: string; args: readonly string[]; port: number; url: string; dir: string; what: string }): OwnServer {
  const { command, args, port, url, dir, what } = options;
  let child: ChildProcess | undefined;
  const kill = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    port,
    async start() {
      child = spawn(command, [...args], { stdio: 'ignore' });
      await waitForPort(port, 30_000, `${what} on port ${port}`);
    },
    kill,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
