import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startService, type RunningService, type ServiceLogger } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stopScheduler } from './servers.js';

// Restarting `jobstore serve` on one SQLite file: what users changed must survive.
const root = mkdtempSync(join(tmpdir(), 'jobstore-restart-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TOKEN = 'restart-token-0123456789';

/** A project folder: tasks.mjs (its runs appended to ledger.txt), another module, and its own database. */
function project(name: string): { dir: string; db: string; ledger: () => string[] } {
  const dir = join(root, name);
  mkdirSync(dir);
  const ledger = join(dir, 'ledger.txt');
  writeFileSync(
    join(dir, 'tasks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport function tick(label) { appendFileSync(${JSON.stringify(ledger)}, String(label) + '\\n'); }\nexport function tock() {}\n`,
  );
  writeFileSync(join(dir, 'more.mjs'), 'export function other() {}\n');
  const lines = (): string[] => {
    try {
      return readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { dir, db: join(dir, 'jobs.db'), ledger: lines };
}

/** A logger that keeps every line, with its level. */
function recorder(): ServiceLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`), error: (m) => void lines.push(`error ${m}`) };
}

async function start(dir: string, db: string, settings: Record<string, unknown>, logger = recorder()): Promise<{ service: RunningService; logger: ReturnType<typeof recorder> }> {
  const config = loadConfig(
    { SCHEDULER_JOBSTORES: { default: { type: 'sql', url: `sqlite:${db}` } }, SCHEDULER_TIMEZONE: 'UTC', SCHEDULER_AUTH: { type: 'bearer', token: TOKEN }, PORT: 0, ...settings },
    {},
  );
  return { service: await startService(config, { baseDir: dir, logger }), logger };
}

async function api(service: RunningService, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect([method, path, response.status]).toStrictEqual([method, path, response.ok ? response.status : 200]);
  return response.status === 204 ? null : response.json();
}

const byId = (jobs: { id: string }[]): Record<string, any> => Object.fromEntries(jobs.map((job) => [job.id, job]));

describe('restarting the service keeps what users changed', () => {
  it('a job paused in the dashboard stays paused, PATCHed fields stay, and unchanged entries keep their next run time and version', async () => {
    const { dir, db } = project('kept');
    const JOBS = [
      { id: 'paused', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['paused'] },
      // No start_date: the trigger's start is "now" at the first start, not at every start.
      { id: 'every', func: './tasks.mjs:tick', trigger: 'interval', minutes: 7, args: ['every'] },
      // No run_date: "now" at the first start; held back by its next_run_time.
      { id: 'once', func: './tasks.mjs:tick', trigger: 'date', next_run_time: '2099-01-01T00:00:00Z' },
      { id: 'patched', func: './tasks.mjs:tick', trigger: 'cron', hour: 4, args: ['file'] },
    ];
    const first = await start(dir, db, { TASKS: ['./tasks.mjs'], JOBS });
    let before: Record<string, any>;
    try {
      await api(first.service, 'POST', '/jobs/paused/pause');
      await api(first.service, 'PATCH', '/jobs/patched', { args: ['user'], trigger: 'cron', hour: 6 });
      before = byId(await api(first.service, 'GET', '/jobs'));
      expect(first.logger.lines.filter((line) => line.startsWith('info') && line.includes('added from JOBS'))).toHaveLength(4);
    } finally {
      await first.service.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await start(dir, db, { TASKS: ['./tasks.mjs'], JOBS });
    try {
      const after = byId(await api(second.service, 'GET', '/jobs'));
      expect(after['paused']).toMatchObject({ state: 'paused', next_run_time: null });
      expect(after['patched']).toMatchObject({ args: ['user'], hour: '6' });
      for (const id of ['paused', 'every', 'once', 'patched']) expect([id, after[id]]).toStrictEqual([id, before[id]]);
      const versions = await Promise.all(['paused', 'every', 'once', 'patched'].map(async (id) => (await second.service.scheduler.getJob(id))?.version));
      expect(versions).toStrictEqual([2, 1, 1, 2]);
      expect(second.logger.lines).toStrictEqual([]);
    } finally {
      await second.service.close();
    }
  });

  it('an entry changed in the file updates its job, logged with what changed; only a new trigger recomputes the next run time; a paused job stays paused', async () => {
    const { dir, db } = project('changed');
    const first = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'args-only', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['a'] },
        { id: 'retimed', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5 },
        { id: 'paused', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5 },
      ],
    });
    let before: Record<string, any>;
    try {
      await api(first.service, 'POST', '/jobs/paused/pause');
      before = byId(await api(first.service, 'GET', '/jobs'));
    } finally {
      await first.service.close();
    }
    const second = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'args-only', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['b'], name: 'Renamed' },
        { id: 'retimed', func: './tasks.mjs:tick', trigger: 'cron', hour: 3, minute: 15 },
        { id: 'paused', func: './tasks.mjs:tock', trigger: 'interval', minutes: 9 },
      ],
    });
    try {
      const after = byId(await api(second.service, 'GET', '/jobs'));
      expect(after['args-only']).toMatchObject({ args: ['b'], name: 'Renamed', next_run_time: before['args-only'].next_run_time, start_date: before['args-only'].start_date, state: 'scheduled' });
      expect(after['retimed']).toMatchObject({ trigger: 'cron', hour: '3', minute: '15', state: 'scheduled' });
      expect(after['retimed'].next_run_time).toMatch(/T03:15:00\.000Z$/);
      expect(after['paused']).toMatchObject({ func: './tasks.mjs:tock', minutes: 9, state: 'paused', next_run_time: null });
      const info = second.logger.lines.filter((line) => line.startsWith('info'));
      expect(info).toStrictEqual([
        'info jobstore: JOBS entry "args-only" changed (args: ["a"] → ["b"]; name: "./tasks.mjs:tick" → "Renamed"); the job is updated from the file and its schedule is unchanged',
        expect.stringMatching(
          /^info jobstore: JOBS entry "retimed" changed \(hour: \(none\) → 3; minute: \(none\) → 15; minutes: 5 → \(none\); trigger: "interval" → "cron"\); the job is updated from the file and its next run time is now .*T03:15:00\.000Z$/,
        ),
        'info jobstore: JOBS entry "paused" changed (func: "./tasks.mjs:tick" → "./tasks.mjs:tock"; minutes: 5 → 9; name: "./tasks.mjs:tick" → "./tasks.mjs:tock"); the job is updated from the file and it has the new trigger and stays paused',
      ]);
    } finally {
      await second.service.close();
    }
    // Started once more with the same file: nothing to do.
    const third = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'args-only', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['b'], name: 'Renamed' },
        { id: 'retimed', func: './tasks.mjs:tick', trigger: 'cron', hour: 3, minute: 15 },
        { id: 'paused', func: './tasks.mjs:tock', trigger: 'interval', minutes: 9 },
      ],
    });
    await third.service.close();
    expect(third.logger.lines).toStrictEqual([]);
  });

  it('a job whose entry left the file is left alone (and listed); an entry with replace_existing: false is never updated; an entry without id is the same job at every start', async () => {
    const { dir, db } = project('removed');
    const first = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'gone', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5 },
        { id: 'fixed', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, replace_existing: false },
        { func: './tasks.mjs:tock', trigger: 'interval', minutes: 5 },
        { func: './tasks.mjs:tock', trigger: 'interval', minutes: 6 },
      ],
    });
    await first.service.close();
    const second = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'fixed', func: './tasks.mjs:tick', trigger: 'interval', minutes: 50, replace_existing: false },
        { func: './tasks.mjs:tock', trigger: 'interval', minutes: 5 },
        { func: './tasks.mjs:tock', trigger: 'interval', minutes: 6 },
      ],
    });
    try {
      const jobs = byId(await api(second.service, 'GET', '/jobs'));
      expect(Object.keys(jobs).sort()).toStrictEqual(['./tasks.mjs:tock', './tasks.mjs:tock#2', 'fixed', 'gone']);
      expect([jobs['fixed'].minutes, jobs['./tasks.mjs:tock#2'].minutes]).toStrictEqual([5, 6]);
      expect(second.logger.lines).toStrictEqual(['info jobstore: "gone" came from JOBS entries no longer in the configuration; left as they are (remove them through the API or the dashboard)']);
    } finally {
      await second.service.close();
    }
  });

  it('a job stored before entries were kept is adopted: left as it is when it matches its entry, updated where it does not', async () => {
    const { dir, db } = project('adopted');
    // As the previous release stored JOBS: the job alone (interval start "now"), then paused by a user.
    const old = new Scheduler({ jobstores: { default: { type: 'sql', url: `sqlite:${db}` } }, timezone: 'UTC', baseDir: dir });
    await old.importTasks('./tasks.mjs');
    await old.addJob({ id: 'same', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['x'] });
    await old.pauseJob('same');
    await old.addJob({ id: 'other', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5 });
    const before = await old.getJob('other');
    await stopScheduler(old); // never started: it closes the store, then says so
    const service = await start(dir, db, {
      TASKS: ['./tasks.mjs'],
      JOBS: [
        { id: 'same', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['x'] },
        { id: 'other', func: './tasks.mjs:tick', trigger: 'interval', minutes: 5, args: ['y'] },
      ],
    });
    try {
      const same = await service.service.scheduler.getJob('same');
      expect([same?.nextRunTime, same?.version]).toStrictEqual([null, 3]);
      const other = await service.service.scheduler.getJob('other');
      expect([other?.args, other?.nextRunTime]).toStrictEqual([['y'], before?.nextRunTime]);
      expect(service.logger.lines).toStrictEqual([
        'info jobstore: job "same" matches its JOBS entry; its entry is now kept with it, so later changes to the file are found',
        'info jobstore: job "other" differs from its JOBS entry (args: [] → ["y"]); the job is updated from the file and its schedule is unchanged',
      ]);
    } finally {
      await service.service.close();
    }
  });
});

describe('a task is the same whichever way TASKS spells its module', () => {
  it('stored jobs keep running when TASKS changes from ./tasks.mjs to the absolute path, or to a file: URL', async () => {
    const { dir, db, ledger } = project('respelled');
    const JOBS = [{ id: 'ticker', func: './tasks.mjs:tick', trigger: 'interval', seconds: 1, args: ['ran'] }];
    const first = await start(dir, db, { TASKS: ['./tasks.mjs'], JOBS });
    try {
      await api(first.service, 'POST', '/jobs', { id: 'added', func: './tasks.mjs:tick', trigger: 'interval', seconds: 1, args: ['added'] });
    } finally {
      await first.service.close();
    }
    for (const spelling of [join(dir, 'tasks.mjs'), `file://${join(dir, 'tasks.mjs')}`]) {
      const runs = ledger().length;
      const again = await start(dir, db, { TASKS: [spelling], JOBS });
      try {
        const jobs = byId(await api(again.service, 'GET', '/jobs'));
        expect([jobs['ticker'].state, jobs['added'].state]).toStrictEqual(['scheduled', 'scheduled']);
        expect(again.logger.lines).toStrictEqual([]);
        await vi.waitFor(() => expect(ledger().slice(runs).sort()).toEqual(expect.arrayContaining(['added', 'ran'])), { timeout: 5000, interval: 10 });
      } finally {
        await again.service.close();
      }
    }
  });
});

describe('stored jobs whose task this process does not have', () => {
  it('are reported in one warning at start, shown as unrunnable with the reason in the API, kept, and run once the task is registered', async () => {
    const { dir, db, ledger } = project('unrunnable');
    const first = await start(dir, db, { TASKS: ['./tasks.mjs', './more.mjs'], JOBS: [] });
    try {
      await api(first.service, 'POST', '/jobs', { id: 'orphan', func: './more.mjs:other', trigger: 'interval', minutes: 1 });
      await api(first.service, 'POST', '/jobs', { id: 'soon', func: './tasks.mjs:tick', trigger: 'interval', seconds: 1, args: ['soon'] });
    } finally {
      await first.service.close();
    }
    // Started without more.mjs, and with tasks.mjs under another name.
    const second = await start(dir, db, { TASKS: [], JOBS: [] });
    try {
      const warnings = second.logger.lines.filter((line) => line.startsWith('warn'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^warn jobstore: 2 stored job\(s\) cannot run in this process: "orphan" \(task "\.\/more\.mjs:other"\), "soon" \(task "\.\/tasks\.mjs:tick"\)\. They are kept, .* Add the task's module to TASKS, or change or remove the job \(PATCH or DELETE \/scheduler\/jobs\/<id>, or the dashboard\)\.$/,
      );
      const orphan = await api(second.service, 'GET', '/jobs/orphan');
      expect(orphan).toMatchObject({ state: 'unrunnable', state_reason: expect.stringMatching(/^task "\.\/more\.mjs:other" is not registered in this process: register it/) });
      expect(orphan.next_run_time).not.toBeNull();
      // The API cannot import code for it either.
      const refused = await fetch(`${second.service.url}/jobs/orphan/run`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(refused.status).toBe(400);
      // Registered now, under its absolute path: it runs.
      const runs = ledger().length;
      await second.service.scheduler.importTasks(join(dir, 'tasks.mjs'));
      expect((await api(second.service, 'GET', '/jobs/soon')).state).toBe('scheduled');
      await vi.waitFor(() => expect(ledger().slice(runs)).toContain('soon'), { timeout: 5000, interval: 10 });
      expect((await api(second.service, 'GET', '/jobs')).map((job: { id: string }) => job.id).sort()).toStrictEqual(['orphan', 'soon']);
    } finally {
      await second.service.close();
    }
  });
});
