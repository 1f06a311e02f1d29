import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, start, tempDir, type Running } from './cli-process.js';

const exampleConfig = new URL('../../../examples/service/jobstore.config.json', import.meta.url).pathname;

interface Serving {
  readonly process: Running;
  readonly url: string;
  readonly token: string | undefined;
}

/** Runs `jobstore serve` and waits until it says it is up (and, without SCHEDULER_AUTH, its token). */
async function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Serving> {
  const process = start(['serve', ...args], { cwd, env });
  await process.waitFor(/press Ctrl-C to stop\n/);
  const url = /API at (\S+)\n/.exec(process.stdout())?.[1];
  if (url === undefined) throw new Error(`no API line:\n${process.stdout()}`);
  return { process, url, token: /bearer token is (\S+)\n/.exec(process.stdout())?.[1] };
}

async function stop(serving: Serving): Promise<number | null> {
  serving.process.child.kill('SIGTERM');
  return (await serving.process.exited()).code;
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
    const first = await serve(['--port', '0'], cwd, env);
    expect(first.process.stdout()).toContain(`jobstore: no config file: jobs in ${join(cwd, 'jobstore.db')}\n`);
    expect(first.process.stdout()).toContain('jobstore: settings from environment variables: TASKS, JOBS\n');
    expect(first.process.stdout()).toContain('jobstore: scheduler running with 1 job(s)\n');
    expect(first.token).toBeDefined();
    expect((await jobs(first)).map((job) => job.id)).toStrictEqual(['ping']);
    const dashboard = await fetch(`${first.url}/dashboard`);
    expect([dashboard.status, dashboard.headers.get('content-type')]).toStrictEqual([200, 'text/html; charset=utf-8']);
    expect(await stop(first)).toBe(0);
    expect(first.process.stdout()).toMatch(/jobstore: shutting down\n(.*\n)*jobstore: stopped\n$/);
    expect(first.process.stderr()).toBe('');
    expect(existsSync(join(cwd, 'jobstore.db'))).toBe(true);

    // Again without JOBS: the job is found in the file; a new run makes a new token.
    const second = await serve(['--port', '0'], cwd, { TASKS: env.TASKS });
    expect(second.token).not.toBe(first.token);
    expect((await jobs(second)).map((job) => job.id)).toStrictEqual(['ping']);
    expect(await stop(second)).toBe(0);
  });

  it("runs the README's example config: its tasks and its three jobs on SQLite", async () => {
    const cwd = tempDir();
    const serving = await serve(['--config', exampleConfig, '--port', '0'], cwd, { SCHEDULER_AUTH: '{"type":"bearer","token":"example-token-0123456789"}' });
    try {
      expect(serving.token).toBeUndefined();
      const response = await fetch(`${serving.url}/jobs`, { headers: { authorization: 'Bearer example-token-0123456789' } });
      const listed = (await response.json()) as { id: string; func: string; jobstore: string }[];
      expect(listed.map((job) => job.id).sort()).toStrictEqual(['cleanup', 'heartbeat', 'hourly-report']);
      expect(listed.every((job) => job.func.startsWith('./tasks.mjs:'))).toBe(true);
      expect(existsSync(join(cwd, 'jobstore.db'))).toBe(true);
    } finally {
      expect(await stop(serving)).toBe(0);
    }
  });

  it('takes --config relative to the working directory, and its TASKS relative to the file', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'tasks.mjs'), 'export function ping() {}\n');
    writeFileSync(
      join(cwd, 'conf', 'service.json'),
      JSON.stringify({ SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, TASKS: ['./tasks.mjs'], JOBS: [{ id: 'ping', func: './tasks.mjs:ping', trigger: 'interval', minutes: 1 }] }),
    );
    const serving = await serve(['-c', 'conf/service.json', '-p', '0'], cwd);
    expect(serving.process.stdout()).toContain('jobstore: config conf/service.json\n');
    expect((await jobs(serving)).map((job) => job.id)).toStrictEqual(['ping']);
    expect(await stop(serving)).toBe(0);
  });

  it('lists in its banner the environment variables that overrode the config file; an option beats its variable', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'service.json'), JSON.stringify({ SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, HOST: '0.0.0.0', PORT: 1 }));
    // PORT is refused as a value, but --port overrides it, so it is never read.
    const serving = await serve(['--config', 'service.json', '--port', '0'], cwd, { HOST: '127.0.0.1', PORT: 'not-a-port', SCHEDULER_TIMEZONE: 'Asia/Tokyo' });
    expect(serving.process.stdout()).toContain('jobstore: environment variables override service.json: SCHEDULER_TIMEZONE, HOST\n');
    expect(serving.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scheduler$/);
    const info = (await (await fetch(serving.url, { headers: { authorization: `Bearer ${serving.token}` } })).json()) as { timezone: string };
    expect(info.timezone).toBe('Asia/Tokyo');
    expect(await stop(serving)).toBe(0);
  });

  it('names an environment variable whose value is refused, exit status 1, on stderr without a stack', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'service.json'), JSON.stringify({ PORT: 5000 }));
    const port = await run(['serve', '--config', 'service.json'], { cwd, env: { PORT: 'abc' } });
    expect(port).toMatchObject({ code: 1, stdout: '', stderr: 'jobstore: environment variable PORT: must be an integer from 0 to 65535, got "abc"\n' });
    const job = await run(['serve', '--config', 'service.json'], { cwd, env: { JOBS: JSON.stringify([{ id: 'nightly', func: 'tasks:x', trigger: 'cron', hour: '25' }]) } });
    expect(job).toMatchObject({ code: 1, stdout: '', stderr: 'jobstore: environment variable JOBS: [0] "nightly": hour: 25 is outside 0-23\n' });
    const json = await run(['serve'], { cwd, env: { SCHEDULER_AUTH: '{"type": "bearer", "token": "0123456789abcdef",}' } });
    expect(json).toMatchObject({ code: 1, stdout: '', stderr: 'jobstore: environment variable SCHEDULER_AUTH: invalid JSON at line 1, column 47: trailing comma before "}"\n' });
    const timeout = await run(['serve'], { cwd, env: { SCHEDULER_SHUTDOWN_TIMEOUT: 'soon' } });
    expect(timeout).toMatchObject({ code: 1, stdout: '', stderr: 'jobstore: environment variable SCHEDULER_SHUTDOWN_TIMEOUT: must be a number of seconds greater than 0, got "soon"\n' });
  });

  it('says why it cannot listen, without a stack', async () => {
    const cwd = tempDir();
    const first = await serve(['--port', '0'], cwd, { SCHEDULER_JOBSTORES: '{"default": {"type": "memory"}}' });
    const port = new URL(first.url).port;
    try {
      const second = await run(['serve', '--port', port], { cwd, env: { SCHEDULER_JOBSTORES: '{"default": {"type": "memory"}}' } });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(`jobstore: cannot listen on 127.0.0.1:${port}: the address is in use (another jobstore serve? choose another port with --port or PORT)\n`);
    } finally {
      expect(await stop(first)).toBe(0);
    }
  });
});
