import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startService, type RunningService } from '@jobstore/http';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jobstore-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ledger = join(dir, 'ledger.txt');
// A task module as a user writes one: each run appends a line to a file outside the store.
writeFileSync(join(dir, 'tasks.mjs'), `import { appendFileSync } from 'node:fs';\nexport function tick(label) { appendFileSync(${JSON.stringify(ledger)}, label + '\\n'); }\n`);
writeFileSync(join(dir, 'more.mjs'), `export function other() {}\n`);

const lines = (): string[] => {
  try {
    return readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

function config(extra: Record<string, unknown> = {}) {
  return loadConfig(
    {
      SCHEDULER_JOBSTORES: { default: { type: 'sql', url: `sqlite:${join(dir, 'jobs.db')}` } },
      SCHEDULER_TIMEZONE: 'UTC',
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'ticker', func: './tasks.mjs:tick', trigger: 'interval', seconds: 1, args: ['tick'] },
        // A func whose module is not in TASKS is imported when the job is created.
        { id: 'lazy', func: './more.mjs:other', trigger: 'cron', hour: '4' },
      ],
      PORT: 0,
      ...extra,
    },
    {},
  );
}

async function get(service: RunningService, path: string, token = service.generatedToken): Promise<{ status: number; json: any }> {
  const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, json: await response.json() };
}

describe('startService', () => {
  it('starts the configured scheduler with its tasks and JOBS, serves the API with a token it made, and keeps jobs across restarts', async () => {
    const first = await startService(config(), { baseDir: dir });
    try {
      expect(first.generatedToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scheduler$/);
      const jobs = await get(first, '/jobs');
      expect(jobs.json.map((job: { id: string }) => job.id).sort()).toStrictEqual(['lazy', 'ticker']);
      expect((await get(first, '/jobs', 'not-the-token-0123456789')).status).toBe(401);
      await vi.waitFor(() => expect(lines()).toContain('tick'), { timeout: 5000, interval: 10 });
      // A job added through the API lives in the SQLite file like the seeded ones.
      const added = await fetch(`${first.url}/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.generatedToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'added', func: './tasks.mjs:tick', trigger: 'date', run_date: '2099-01-01T00:00:00Z' }),
      });
      expect(added.status).toBe(201);
    } finally {
      await first.close();
    }
    expect(first.scheduler.state).toBe('shut down');

    // Started again on the same file: the JOBS and the job added through the API are found where they were.
    const second = await startService(config({ SCHEDULER_AUTH: { type: 'basic', username: 'ops', password: 'secret' } }), { baseDir: dir });
    try {
      expect(second.generatedToken).toBeUndefined();
      const response = await fetch(`${second.url}/jobs`, { headers: { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` } });
      const ids = ((await response.json()) as { id: string }[]).map((job) => job.id).sort();
      expect(ids).toStrictEqual(['added', 'lazy', 'ticker']);
    } finally {
      await second.close();
    }
  });

  it('with the API off, runs the scheduler and serves nothing', async () => {
    const service = await startService(config({ SCHEDULER_API_ENABLED: false, JOBS: [] }), { baseDir: dir });
    try {
      expect(service.server).toBeUndefined();
      expect(service.url).toBeUndefined();
      expect(service.scheduler.state).toBe('running');
    } finally {
      await service.close();
    }
  });

  it('a job naming a task that cannot be imported fails the start, naming the entry, and leaves no scheduler running', async () => {
    await expect(startService(config({ JOBS: [{ id: 'x', func: './missing.mjs:nothing', trigger: 'interval', seconds: 5 }] }), { baseDir: dir })).rejects.toThrow(
      `JOBS[0] "x": func: cannot import "./missing.mjs" (from ${dir}): `,
    );
    await expect(
      startService(
        config({
          JOBS: [
            { id: 'a', func: './tasks.mjs:tick', trigger: 'interval', seconds: 5 },
            { func: './tasks.mjs:tock', trigger: 'interval', seconds: 5 },
          ],
        }),
        { baseDir: dir },
      ),
    ).rejects.toThrow('JOBS[1]: func: no task "./tasks.mjs:tock": "./tasks.mjs" has no exported function "tock"');
    await expect(startService(config({ JOBS: [{ id: 'b', func: 'tick', trigger: 'interval', seconds: 5 }] }), { baseDir: dir })).rejects.toThrow(
      'JOBS[0] "b": func: no task "tick": name a task from TASKS',
    );
  });

  it('a port already taken fails the start before any job ran, and leaves no scheduler running', async () => {
    const taken = await startService(config({ SCHEDULER_API_ENABLED: true, JOBS: [] }), { baseDir: dir });
    try {
      const port = Number(new URL(taken.url!).port);
      const before = lines().length;
      const failed = startService(config({ PORT: port, JOBS: [{ id: 'now', func: './tasks.mjs:tick', trigger: 'date', args: ['must-not-run'] }] }), { baseDir: dir, logger: false });
      await expect(failed).rejects.toThrow(/EADDRINUSE/);
      // Give a scheduler wrongly left running a moment to run the due job.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(lines().slice(before)).not.toContain('must-not-run');
    } finally {
      await taken.close();
    }
  });
});
