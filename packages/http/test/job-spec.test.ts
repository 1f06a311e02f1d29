import { InvalidArgumentError } from '@jobstore/core';
import { createJobstoreHandler, loadConfig } from '@jobstore/http';
import { JOB_OPTIONS, MODIFIABLE_JOB_OPTIONS, Scheduler, snakeCase, TRIGGER_OPTION_NAMES } from '@jobstore/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The API and the config loader take the scheduler's job specification: an option added there
// and not to the body schemas (or the reverse, which the schemas' types refuse) fails here.

const NOW = new Date('2031-05-05T10:00:00Z');
let scheduler: Scheduler;
let handler: ReturnType<typeof createJobstoreHandler>;

beforeAll(async () => {
  scheduler = new Scheduler({ timezone: 'UTC', clock: () => NOW });
  scheduler.registerTask('t', () => undefined);
  await scheduler.start({ paused: true });
  handler = createJobstoreHandler(scheduler, { auth: false, minIntervalSeconds: 0 });
});
afterAll(() => scheduler.shutdown({ wait: false }));

async function call(method: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await handler(new Request(`http://localhost/scheduler${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));
  return { status: response.status, json: await response.json() };
}

/** A value the field does not take: an object with an unknown key, or for kwargs (an object) a string. */
const nonsense = (field: string): unknown => (field === 'kwargs' ? 'not an object' : { nonsense: true });

/** What is said of a field given a value it does not take. */
const refusalOf = async (method: string, path: string, field: string): Promise<{ field: string; reason: string }> => {
  const { status, json } = await call(method, path, { func: 't', trigger: 'interval', [field]: nonsense(field) });
  expect(status).toBe(400);
  return { field: json.field, reason: json.reason };
};

const apiOptions = JOB_OPTIONS.filter((option) => option !== 'origin');
const triggerFields = TRIGGER_OPTION_NAMES.map(snakeCase);

describe('one job specification', () => {
  it.each([...apiOptions.map(snakeCase), ...triggerFields])('POST /jobs takes %s, a field of the specification', async (field) => {
    const refused = await refusalOf('POST', '/jobs', field);
    expect(refused.field).toBe(field);
    expect(refused.reason).not.toMatch(/is not a field of a job/);
  });

  it.each([...MODIFIABLE_JOB_OPTIONS.filter((option) => option !== 'origin').map(snakeCase), ...triggerFields])('PATCH /jobs/:id takes %s', async (field) => {
    expect((await call('POST', '/jobs', { id: 'patched', func: 't', trigger: 'interval', minutes: 1, replace_existing: true })).status).toBe(201);
    const refused = await refusalOf('PATCH', '/jobs/patched', field);
    expect(refused.reason).not.toMatch(/is not a field of a job/);
  });

  it('origin, id and jobstore are not fields a request may set where the specification says so', async () => {
    expect(await refusalOf('POST', '/jobs', 'origin')).toEqual({ field: 'origin', reason: 'is not a field of a job' });
    expect(await refusalOf('PATCH', '/jobs/patched', 'jobstore')).toEqual({ field: 'jobstore', reason: 'is not a field of a job' });
  });

  it.each([...apiOptions.map(snakeCase), ...triggerFields])("the config loader's JOBS take %s", (field) => {
    const error = (() => {
      try {
        loadConfig({ JOBS: [{ func: 't', trigger: 'interval', [field]: nonsense(field) }] }, {});
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(new RegExp(`^jobstore config: JOBS\\[0\\]: ${field}: `));
    expect((error as Error).message).not.toMatch(/is not a field of a job/);
  });

  it("a new trigger through PATCH is made by the scheduler: its zone, and its clock's now", async () => {
    expect((await call('POST', '/jobs', { id: 'clocked', func: 't', trigger: 'cron', hour: 3, replace_existing: true })).json.next_run_time).toBe('2031-05-06T03:00:00.000Z');
    const dated = await call('PATCH', '/jobs/clocked', { trigger: 'date' });
    expect(dated.json.next_run_time).toBe(NOW.toISOString());
    const zoned = await call('PATCH', '/jobs/clocked', { trigger: 'cron', hour: 12, minute: 0 });
    expect(zoned.status).toBe(200);
    expect(zoned.json.next_run_time).toBe('2031-05-05T12:00:00.000Z');
    expect((await call('PATCH', '/jobs/clocked', { trigger: 'cron', hour: 12, minute: 0, timezone: 'Asia/Tokyo' })).json.next_run_time).toBe('2031-05-06T03:00:00.000Z');
  });
});
