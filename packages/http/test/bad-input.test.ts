import { createJobstoreHandler } from '@jobstore/http';
import { JOB_OPTIONS, Scheduler, snakeCase, TRIGGER_OPTIONS } from '@jobstore/scheduler';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Whatever a client sends, the answer is a success or a 4xx with a reason: never a 500, and a
// refused request changes nothing.
const TOKEN = 'fuzz-token-0123456789abcdef';
// Every field the API takes (snake_case, as Flask-APScheduler's), and camelCase names it does not.
const FIELDS = [...new Set([...JOB_OPTIONS, ...Object.values(TRIGGER_OPTIONS).flat()].map(snakeCase)), 'dayOfWeek', 'runDate'];

const value = fc.oneof(
  fc.constantFrom(
    'date',
    'interval',
    'cron',
    'calendarInterval',
    'tasks:ok',
    'UTC',
    'Europe/Berlin',
    '*/5',
    'mon-fri',
    'last',
    '2030-01-01T00:00:00Z',
    '2030-02-30',
    '',
    '0',
    '-1',
    '99',
    '1-0',
    '5/0',
    'jan-dec',
    'xyz',
  ),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.jsonValue({ maxDepth: 2 }),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }).map((fields) => ({ func: 'tasks:ok', ...fields })),
  fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), value, { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const OK = new Set([200, 201, 202, 204, 400, 404, 405, 409]);

describe('hostile requests', () => {
  let scheduler: Scheduler;
  let handler: ReturnType<typeof createJobstoreHandler>;
  const send = async (method: string, path: string, payload?: string): Promise<{ status: number; json: any }> => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } };
    if (payload !== undefined) init.body = payload;
    const response = await handler(new Request(`http://localhost/scheduler${path}`, init));
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : JSON.parse(text) };
  };
  const addTarget = async (): Promise<void> => {
    expect((await send('POST', '/jobs', JSON.stringify({ id: 'target', func: 'tasks:ok', trigger: 'interval', minutes: 1 }))).status).toBe(201);
  };
  const count = async (): Promise<number> => (await send('GET', '/jobs')).json.length;

  beforeAll(async () => {
    scheduler = new Scheduler({ timezone: 'UTC' });
    scheduler.registerTask('tasks:ok', () => undefined);
    await scheduler.start();
    // Paused, so fuzzed jobs are stored and answered but not run.
    scheduler.pause();
    handler = createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } });
    await addTarget();
  });
  afterAll(() => scheduler.shutdown({ wait: false }));

  it('POST /jobs: any JSON body is added or refused with a field and a reason, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await count();
        const { status, json } = await send('POST', '/jobs', JSON.stringify(payload));
        expect(OK.has(status), `${status} for ${JSON.stringify(payload)}: ${JSON.stringify(json)}`).toBe(true);
        if (status === 201) {
          // What was added reads back as it was answered.
          expect((await send('GET', `/jobs/${encodeURIComponent(json.id)}`)).json).toStrictEqual(json);
          await send('DELETE', `/jobs/${encodeURIComponent(json.id)}`);
        } else {
          expect(typeof json.reason).toBe('string');
          expect(await count()).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('PATCH /jobs/:id: any JSON body changes the job or leaves it exactly as it was', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = (await send('GET', '/jobs/target')).json;
        const { status, json } = await send('PATCH', '/jobs/target', JSON.stringify(payload));
        expect(OK.has(status), `${status} for ${JSON.stringify(payload)}: ${JSON.stringify(json)}`).toBe(true);
        if (status === 200) expect((await send('GET', '/jobs/target')).json).toStrictEqual(json);
        else expect((await send('GET', '/jobs/target')).json).toStrictEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('any path, method and raw body under the prefix gets a 4xx or a success, never a 500', async () => {
    const segment = fc.oneof(
      fc.constantFrom('jobs', 'target', 'pause', 'resume', 'run', '..', '.', '%2e%2e', '%00', '%E0%A4%A', 'dashboard', 'events'),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'), fc.array(segment, { maxLength: 4 }), fc.string({ maxLength: 40 }), async (method, segments, raw) => {
        if (method === 'GET' && segments.join('/') === 'events') return; // a stream that never ends
        if (['POST', 'DELETE'].includes(method) && segments.length === 1 && segments[0] === 'shutdown') return;
        const path = segments.length === 0 ? '' : `/${segments.join('/')}`;
        const response = await handler(
          new Request(`http://localhost/scheduler${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: raw }) }),
        );
        expect(response.status, `${method} ${path} ${JSON.stringify(raw)}`).toBeLessThan(500);
        await response.body?.cancel();
        // A fuzzed DELETE /jobs/target is a legitimate removal: it must have removed the job, and
        // the target is put back so the check below still means something.
        if (method === 'DELETE' && path === '/jobs/target' && response.status === 204) {
          expect((await send('GET', '/jobs/target')).status).toBe(404);
          await addTarget();
        }
      }),
      { numRuns: 400 },
    );
    // The target survived whatever was sent at it, perhaps paused.
    expect((await send('GET', '/jobs/target')).status).toBe(200);
  });
});
