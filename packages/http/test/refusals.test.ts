import { createJobstoreHandler } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// A refused request changes nothing: not the job as the API shows it, and not the stored record
// (its version would move on any write, even one that wrote the same values back).
describe('refused requests leave the jobs as they were', () => {
  let store: MemoryJobStore;
  let scheduler: Scheduler;
  let handler: ReturnType<typeof createJobstoreHandler>;
  const send = async (method: string, path: string, payload?: unknown): Promise<{ status: number; json: any }> => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (payload !== undefined) init.body = JSON.stringify(payload);
    const response = await handler(new Request(`http://localhost/scheduler${path}`, init));
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : JSON.parse(text) };
  };
  const record = async (id: string): Promise<unknown> => {
    const found = await store.lookupJob(id);
    return found === null ? null : { version: found.version, nextRunTime: found.nextRunTime, data: found.data };
  };

  beforeAll(async () => {
    store = new MemoryJobStore();
    scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    scheduler.registerTask('tasks:ok', () => undefined);
    await scheduler.start({ paused: true });
    handler = createJobstoreHandler(scheduler, { auth: false });
  });
  afterAll(() => scheduler.shutdown({ wait: false }));
  beforeEach(async () => {
    await scheduler.removeAllJobs();
    expect((await send('POST', '/jobs', { id: 'job', func: 'tasks:ok', trigger: 'interval', minutes: 1 })).status).toBe(201);
  });

  const refusedPatches: [string, Record<string, unknown>, string | null][] = [
    ['a new trigger and an unknown executor', { trigger: 'interval', hours: 5, executor: 'nope' }, null],
    ['a new trigger and a next_run_time before 1970', { trigger: 'cron', hour: 3, next_run_time: '1960-01-01T00:00:00Z' }, null],
    ['a new trigger and a next_run_time after 9999', { trigger: 'interval', hours: 5, next_run_time: '+010000-01-01T00:00:00Z' }, null],
    ['a new trigger and an unknown task', { trigger: 'interval', hours: 5, func: 'tasks:nope' }, 'func'],
    ['a new trigger and a bad max_instances', { trigger: 'interval', hours: 5, max_instances: 0 }, 'max_instances'],
    ['a bad trigger and good fields', { trigger: 'cron', hour: 25, name: 'renamed', args: [1] }, 'hour'],
    ['a trigger with an unknown time zone and good fields', { trigger: 'interval', hours: 5, timezone: 'Nowhere/Special', name: 'renamed' }, 'timezone'],
  ];
  for (const [label, body, field] of refusedPatches) {
    it(`PATCH with ${label} is a 400 that writes nothing`, async () => {
      const before = (await send('GET', '/jobs/job')).json;
      const stored = await record('job');
      const { status, json } = await send('PATCH', '/jobs/job', body);
      expect(status).toBe(400);
      expect(typeof json.reason).toBe('string');
      if (field !== null) expect(json.field).toBe(field);
      expect((await send('GET', '/jobs/job')).json).toStrictEqual(before);
      expect(await record('job')).toStrictEqual(stored);
    });
  }

  it('PATCH with a new trigger and other fields changes them all in one write', async () => {
    const version = (await store.lookupJob('job'))?.version ?? 0;
    const { status, json } = await send('PATCH', '/jobs/job', { trigger: 'cron', hour: 3, minute: 30, name: 'nightly', max_instances: 2 });
    expect(status).toBe(200);
    expect(json).toMatchObject({ trigger: 'cron', hour: '3', minute: '30', name: 'nightly', max_instances: 2, timezone: 'UTC' });
    // The trigger's first fire time, from now: 03:30 UTC today or tomorrow.
    const next = Date.parse(json.next_run_time);
    expect(new Date(next).toISOString().slice(11)).toBe('03:30:00.000Z');
    expect(next - Date.now()).toBeGreaterThan(0);
    expect(next - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect((await store.lookupJob('job'))?.version).toBe(version + 1);
    expect((await send('GET', '/jobs/job')).json).toStrictEqual(json);
  });

  it('PATCH with a new trigger keeps a next_run_time given beside it, and a date trigger without run_date runs now', async () => {
    const kept = await send('PATCH', '/jobs/job', { trigger: 'interval', hours: 5, next_run_time: '2031-05-05T05:05:05Z' });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ trigger: 'interval', hours: 5, next_run_time: '2031-05-05T05:05:05.000Z' });
    const before = Date.now();
    const now = await send('PATCH', '/jobs/job', { trigger: 'date' });
    expect(now.status).toBe(200);
    expect(Date.parse(now.json.run_date)).toBeGreaterThanOrEqual(before);
    expect(now.json.next_run_time).toBe(now.json.run_date);
  });

  it('PATCH of an unknown job with a new trigger is a 404 that adds nothing', async () => {
    const { status, json } = await send('PATCH', '/jobs/nobody', { trigger: 'interval', hours: 1, name: 'x' });
    expect([status, json.error]).toStrictEqual([404, 'not found']);
    expect(await store.lookupJob('nobody')).toBeNull();
  });

  for (const id of ['.', '..']) {
    it(`POST /jobs refuses the id ${JSON.stringify(id)}, which no URL can name, with a 400 on id that says why`, async () => {
      const before = (await send('GET', '/jobs')).json;
      const { status, json } = await send('POST', '/jobs', { id, func: 'tasks:ok', trigger: 'interval', minutes: 1 });
      expect(status).toBe(400);
      expect(json.field).toBe('id');
      expect(json.reason).toMatch(/cannot be "\." or "\.\.": URLs resolve those path segments/);
      expect((await send('GET', '/jobs')).json).toStrictEqual(before);
      expect(await store.lookupJob(id)).toBeNull();
    });
  }

  it('ids that only look like dot segments are ordinary ids the URL can name', async () => {
    for (const id of ['...', '.a', 'a.', '%2e', '.%2e']) {
      expect((await send('POST', '/jobs', { id, func: 'tasks:ok', trigger: 'interval', minutes: 1 })).status, id).toBe(201);
      const read = await send('GET', `/jobs/${encodeURIComponent(id)}`);
      expect([id, read.status, read.json.id]).toStrictEqual([id, 200, id]);
      expect((await send('DELETE', `/jobs/${encodeURIComponent(id)}`)).status).toBe(204);
    }
  });
});
