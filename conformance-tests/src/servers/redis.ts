import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import type { OwnServer } from './own-server.js';

const exec = promisify(execFile);

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const { stdout } = await exec('redis-cli', ['-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

/**
 * A redis-server of the test's own, on a free port in a temporary directory (the machine's shared
 * server is never touched). `kill` ends it at once (SIGKILL), as a crash would; `start` runs it
 * again on the same port and directory, so with `appendonly` its data comes back.
 */
export class RedisServer implements OwnServer {
  readonly port: number;
  readonly dir: string;
  readonly #args: string[];
  #process: ChildProcess | undefined;

  private constructor(port: number, args: string[]) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'jobstore-redis-'));
    this.#args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...args];
  }

  static async start(args: string[] = [], withBus = false): Promise<RedisServer> {
    const server = new RedisServer(await freePort(withBus), args);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#process = spawn('redis-server', this.#args, { cwd: this.dir, stdio: 'ignore' });
    await waitForPing(this.port);
  }

  async kill(): Promise<void> {
    const child = this.#process;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Redis Cluster of three masters on free ports, made with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<{ nodes: { host: string; port: number }[]; stop(): Promise<void> }> {
  const servers: RedisServer[] = [];
  for (let i = 0; i < 3; i++) servers.push(await RedisServer.start(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--appendonly', 'no'], true));
  const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
  await exec('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
  for (let i = 0; i < 100; i++) {
    const states = await Promise.all(servers.map((s) => exec('redis-cli', ['-p', String(s.port), 'cluster', 'info']).then((r) => r.stdout)));
    if (states.every((info) => info.includes('cluster_state:ok'))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    stop: async () => {
      await Promise.all(servers.map((server) => server.destroy()));
    },
  };
}
