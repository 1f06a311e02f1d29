import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const exampleConfig = new URL('../../../examples/service/jobstore.config.json', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-cli-'));
  dirs.push(dir);
  return dir;
}

interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string | undefined;
  readonly output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `jobstore serve` and waits until it prints where its API is. */
function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Serving> {
  const child = spawn('node', [cli, 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no API line within 20 s:\n${out}`)), 20_000);
    child.once('exit', () => reject(new Error(`exited before serving:\n${out}`)));
    child.stdout.on('data', () => {
      const url = /API at (\S+)/.exec(out)?.[1];
      // Without SCHEDULER_AUTH a token line follows, perhaps in a later chunk.
      if (url === undefined || (env['SCHEDULER_AUTH'] === undefined && !/bearer token is \S+\n/.test(out))) return;
      clearTimeout(timer);
      resolve({
        child,
        url,
        token: /bearer token is (\S+)/.exec(out)?.[1],
        output: () => out,
        async stop() {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

async function jobs(serving: Serving): Promise<{ id: string; func: string; jobstore: string }[]> {
  const response = await fetch(`${serving.url}/jobs`, { headers: { authorization: `Bearer ${serving.token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; func: string; jobstore: string }[];
}

describe('jobstore serve', () => {
  it('with no config keeps the jobs in ./jobstore.db, takes settings from the environment, and stops cleanly on SIGTERM', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'tasks.mjs'), 'export function ping() {}\n');
    const env = { TASKS: '["./tasks.mjs"]', JOBS: JSON.stringify([{ id: 'ping', func: './tasks.mjs:ping', trigger: 'interval', minutes: 1 }]) };
    const first = await serve([], cwd, env);
    expect(first.output()).toContain('scheduler running with 1 job(s)');
    expect(first.token).toBeDefined();
    expect((await jobs(first)).map((job) => job.id)).toStrictEqual(['ping']);
    const dashboard = await fetch(`${first.url}/dashboard`);
    expect([dashboard.status, dashboard.headers.get('content-type')]).toStrictEqual([200, 'text/html; charset=utf-8']);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('shutting down');
    expect(existsSync(join(cwd, 'jobstore.db'))).toBe(true);

    // Again without JOBS: the job is found in the file; a new run makes a new token.
    const second = await serve([], cwd, { TASKS: env.TASKS });
    expect(second.token).not.toBe(first.token);
    expect((await jobs(second)).map((job) => job.id)).toStrictEqual(['ping']);
    expect(await second.stop()).toBe(0);
  }, 60_000);

  it("runs the README's example config: its tasks and its three jobs on SQLite", async () => {
    const cwd = tempDir();
    const serving = await serve(['--config', exampleConfig], cwd, { SCHEDULER_AUTH: '{"type":"bearer","token":"example-token-0123456789"}' });
    try {
      expect(serving.token).toBeUndefined();
      const response = await fetch(`${serving.url}/jobs`, { headers: { authorization: 'Bearer example-token-0123456789' } });
      const listed = (await response.json()) as { id: string; func: string; jobstore: string }[];
      expect(listed.map((job) => job.id).sort()).toStrictEqual(['cleanup', 'heartbeat', 'hourly-report']);
      expect(listed.every((job) => job.func.startsWith('./tasks.mjs:'))).toBe(true);
      expect(existsSync(join(cwd, 'jobstore.db'))).toBe(true);
    } finally {
      expect(await serving.stop()).toBe(0);
    }
  }, 60_000);

  it('a bad config is refused with the key and the reason, exit code 1', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'bad.json');
    writeFileSync(file, JSON.stringify({ SCHEDULER_TIMEZONE: 'UTC', PORT: 'eighty' }));
    const child = spawn('node', [cli, 'serve', '--config', file], { cwd });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/jobstore: jobstore config: PORT: /);
  });

  it('prints its usage for anything but serve', async () => {
    const child = spawn('node', [cli, 'run'], {});
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain('usage: jobstore serve');
  });
});
