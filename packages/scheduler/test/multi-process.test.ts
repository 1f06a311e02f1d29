import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveService, SERVICES } from '@jobstore/conformance';
import { CronTrigger, DateTrigger, IntervalTrigger, type Trigger } from '@jobstore/core';
import { Scheduler } from '@jobstore/scheduler';
import { RedisJobStore } from '@jobstore/store-redis';
import { SqlJobStore } from '@jobstore/store-sql';
import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const PROCESSES = 4;
const SCRIPT = new URL('./fixtures/ledger-scheduler.mjs', import.meta.url).pathname;
const pgService = await resolveService(SERVICES.postgres);
const redisService = await resolveService(SERVICES.redis);
const redisUrl = redisService.available ? redisService.url : '';
const zkService = await resolveService(SERVICES.zookeeper);
const zkHosts = zkService.available ? zkService.url.replace(/^zookeeper:\/\//, '') : '';
const dir = mkdtempSync(join(tmpdir(), 'jobstore-multi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every fire time of `trigger` from the start up to `end`. */
function fireTimes(trigger: Trigger, end: number): number[] {
  const times: number[] = [];
  let time = trigger.getNextFireTime(null, new Date(0));
  while (time !== null && time.getTime() <= end) {
    times.push(time.getTime());
    time = trigger.getNextFireTime(time, time);
  }
  return times;
}

function startProcess(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [SCRIPT, ...args], { cwd: new URL('.', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`scheduler process exited early (${code})`)));
  });
}

describe.skipIf(!pgService.available || !redisService.available)(`${PROCESSES} scheduler processes sharing one store`, () => {
  const ledgerUrl = pgService.available ? pgService.url : '';
  const stores = [
    ['PostgreSQL (pushed wake-ups)', 'pg', (namespace: string) => ({ type: 'sql', url: ledgerUrl, namespace, poolSize: 4 })],
    ['SQLite file (polling)', 'lite', (namespace: string) => ({ type: 'sql', url: `sqlite:${join(dir, 'shared.db')}`, namespace, poolSize: 4 })],
    ['Redis (pub/sub wake-ups)', 'redis', (namespace: string) => ({ type: 'redis', url: redisUrl, namespace })],
    ['ZooKeeper (watched change log)', 'zk', (namespace: string) => ({ type: 'zookeeper', connectionString: zkHosts, root: '/jobstore-multi', namespace })],
  ] as const;

  for (const [label, tag, config] of stores) {
    it.skipIf(tag === 'zk' && !zkService.available)(`run every fire time exactly once: ${label}`, async () => {
      const namespace = `multi_${process.pid}_${tag}`;
      const ledger = `${namespace}_ledger`;
      const admin = new pg.Client({ connectionString: ledgerUrl });
      await admin.connect();
      await admin.query(`DROP TABLE IF EXISTS ${ledger}; CREATE TABLE ${ledger} (job_id text, fire_time bigint, scheduler text)`);
      const children: ChildProcess[] = [];
      const store = tag === 'redis' ? new RedisJobStore({ url: redisUrl, namespace }) : tag === 'zk' ? new ZooKeeperJobStore(config(namespace) as never) : new SqlJobStore(config(namespace) as never);
      try {
        await store.removeAllJobs();
        // The jobs: fire times over a 6-second window that starts once the processes are up.
        const start = Date.now() + 3000;
        const end = start + 6000;
        const adder = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
        adder.registerTask('ledger', () => undefined);
        const expected = new Map<string, number[]>();
        const add = async (id: string, trigger: Trigger): Promise<void> => {
          await adder.addJob({ id, func: 'ledger', trigger, misfireGraceTime: null, coalesce: false });
          expected.set(id, fireTimes(trigger, end));
        };
        for (let i = 0; i < 30; i++) await add(`interval-${i}`, new IntervalTrigger({ seconds: 0.5, startDate: new Date(start + i * 13), endDate: new Date(end) }));
        for (let i = 0; i < 30; i++) await add(`date-${i}`, new DateTrigger({ runDate: new Date(start + i * 190) }));
        for (let i = 0; i < 10; i++) await add(`cron-${i}`, new CronTrigger({ second: '*', startDate: new Date(start), endDate: new Date(end) }));

        for (let p = 0; p < PROCESSES; p++) children.push(await startProcess([JSON.stringify(config(namespace)), ledgerUrl, ledger, `scheduler-${p}`]));
        await new Promise((resolve) => setTimeout(resolve, end - Date.now() + 3000));
        await Promise.all(children.map((child) => new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        })));

        const { rows } = await admin.query<{ job_id: string; fire_time: string; runs: number; schedulers: string }>(
          `SELECT job_id, fire_time, count(*)::int AS runs, string_agg(scheduler, ',') AS schedulers FROM ${ledger} GROUP BY job_id, fire_time`,
        );
        const twice = rows.filter((row) => row.runs > 1);
        expect(twice, 'fire times run more than once').toStrictEqual([]);
        const ran = new Map<string, number[]>();
        for (const row of rows) ran.set(row.job_id, [...(ran.get(row.job_id) ?? []), Number(row.fire_time)]);
        let total = 0;
        for (const [id, times] of expected) {
          expect((ran.get(id) ?? []).sort((a, b) => a - b), `fire times of ${id}`).toStrictEqual(times);
          total += times.length;
        }
        expect(total).toBeGreaterThan(400);
        // The work was shared: more than one process ran jobs.
        expect(new Set(rows.flatMap((row) => row.schedulers.split(','))).size).toBeGreaterThan(1);
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
        await store.removeAllJobs().catch(() => undefined);
        await store.close();
        await admin.query(`DROP TABLE IF EXISTS ${ledger}`);
        await admin.end();
      }
    }, 60_000);
  }
});
