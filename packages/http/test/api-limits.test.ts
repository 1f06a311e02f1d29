import { MemoryJobStore } from '@jobstore/store-memory';
import { createJobstoreHandler, loadConfig, type JobstoreHandler } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type Mounted } from './servers.js';

// The API's limits, each from a request that got past them: deep nesting (a 500 from the codec
// at 1,000 levels, a stack overflow in validation from 3,000), `__proto__` keys silently dropped,
// intervals of a millisecond, jitter of 1e308 seconds, and a scheduler shut down for good.
const TOKEN = 'limits-token-0123456789abcdef';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: any;
}

async function call(base: string, method: string, path: string, body?: string): Promise<Answer> {
  const response = await fetch(`${base}/scheduler${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, text, json: text === '' ? null : JSON.parse(text) };
}

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const schedulers: Scheduler[] = [];
const servers: Mounted[] = [];

/** A paused scheduler on a configured memory store (so a restart can reopen it), served over HTTP. */
async function serve(options: { minIntervalSeconds?: number; scheduler?: Scheduler } = {}): Promise<{ scheduler: Scheduler; base: string; handler: JobstoreHandler }> {
  const scheduler = options.scheduler ?? new Scheduler({ timezone: 'UTC', jobstores: { default: { type: 'memory' } } });
  scheduler.registerTask('tasks:ok', () => undefined);
  await scheduler.start({ paused: true });
  schedulers.push(scheduler);
  const handler = createJobstoreHandler(scheduler, { auth: { bearer: TOKEN }, ...(options.minIntervalSeconds === undefined ? {} : { minIntervalSeconds: options.minIntervalSeconds }) });
  const server = await ADAPTERS['node:http']!(handler);
  servers.push(server);
  return { scheduler, base: server.base, handler };
}

afterAll(async () => {
  await Promise.allSettled(servers.splice(0).map((server) => server.close()));
  await Promise.allSettled(schedulers.splice(0).map((scheduler) => scheduler.shutdown({ wait: false })));
});

describe('nesting depth', () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await serve());
    expect((await call(base, 'POST', '/jobs', JSON.stringify({ id: 'target', func: 'tasks:ok', trigger: 'interval', minutes: 1, args: [1] }))).status).toBe(201);
  });

  it.each([1000, 2500, 5000, 100_000])('args %i levels deep: 400 naming args, nothing stored, and the server answers on', async (levels) => {
    const before = (await call(base, 'GET', '/jobs')).json.length;
    const added = await call(base, 'POST', '/jobs', `{"id":"deep","func":"tasks:ok","args":${nested(levels)}}`);
    expect(added.status).toBe(400);
    expect(added.json).toMatchObject({ error: 'invalid request', field: 'args', reason: 'nests arrays and objects more than 64 levels deep' });
    const changed = await call(base, 'PATCH', '/jobs/target', `{"args":${nested(levels)}}`);
    expect([changed.status, changed.json.field]).toStrictEqual([400, 'args']);
    expect((await call(base, 'GET', '/jobs/deep')).status).toBe(404);
    expect((await call(base, 'GET', '/jobs/target')).json.args).toStrictEqual([1]);
    expect((await call(base, 'GET', '/jobs')).json.length).toBe(before);
  });

  it('a deep keyword argument is named by its keyword, also inside objects', async () => {
    const deepObject = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    const added = await call(base, 'POST', '/jobs', `{"func":"tasks:ok","kwargs":{"fine":[1],"x":${deepObject}}}`);
    expect([added.status, added.json.field]).toStrictEqual([400, 'kwargs.x']);
  });

  it('64 levels are taken and read back as sent; 65 are refused', async () => {
    const ok = await call(base, 'POST', '/jobs', `{"id":"deep64","func":"tasks:ok","trigger":"date","run_date":"2030-01-01T00:00:00Z","args":${nested(64)}}`);
    expect(ok.status).toBe(201);
    expect((await call(base, 'GET', '/jobs/deep64')).text).toContain(`"args":${nested(64)}`);
    const over = await call(base, 'POST', '/jobs', `{"id":"deep65","func":"tasks:ok","args":${nested(65)}}`);
    expect([over.status, over.json.field]).toStrictEqual([400, 'args']);
    // A body that is all nesting, no object: refused as a whole.
    const bare = await call(base, 'POST', '/jobs', nested(100_000));
    expect([bare.status, bare.json.field]).toStrictEqual([400, null]);
  });
});

describe('__proto__ keys', () => {
  const PROTO_ARGS = '[{"__proto__":{"polluted":true}},"plain"]';
  const PROTO_KWARGS = '{"__proto__":1,"x":{"__proto__":{"y":2}}}';

  it.each(Object.keys(ADAPTERS))('in args and nested kwargs are kept, stored, read back and given to the task (%s)', async (adapter) => {
    const scheduler = new Scheduler({ timezone: 'UTC', jobstores: { default: { type: 'memory' } } });
    const calls: { args: unknown[]; kwargs: Record<string, unknown> }[] = [];
    scheduler.registerTask('tasks:record', (...args: unknown[]) => void calls.push({ args: args.slice(0, -1), kwargs: args.at(-1) as Record<string, unknown> }));
    await scheduler.start({ paused: true });
    schedulers.push(scheduler);
    const server = await ADAPTERS[adapter]!(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } }));
    servers.push(server);
    const added = await call(server.base, 'POST', '/jobs', `{"id":"proto","func":"tasks:record","trigger":"date","run_date":"2030-01-01T00:00:00Z","args":${PROTO_ARGS},"kwargs":${PROTO_KWARGS}}`);
    expect(added.status).toBe(201);
    for (const text of [added.text, (await call(server.base, 'GET', '/jobs/proto')).text]) {
      expect(text).toContain(`"args":${PROTO_ARGS}`);
      expect(text).toContain(`"kwargs":${PROTO_KWARGS}`);
    }
    const stored = await scheduler.getJob('proto');
    expect(Object.hasOwn(stored!.args[0] as object, '__proto__')).toBe(true);
    expect(Object.hasOwn(stored!.kwargs, '__proto__')).toBe(true);
    expect(Object.hasOwn(stored!.kwargs['x'] as object, '__proto__')).toBe(true);

    const patched = await call(server.base, 'PATCH', '/jobs/proto', '{"kwargs":{"__proto__":{"z":3}}}');
    expect(patched.status).toBe(200);
    expect(patched.text).toContain('"kwargs":{"__proto__":{"z":3}}');
    expect((await call(server.base, 'POST', '/jobs/proto/run')).status).toBe(202);
    await expect.poll(() => calls.length).toBe(1);
    expect(Object.hasOwn(calls[0]!.args[0] as object, '__proto__')).toBe(true);
    expect(Object.hasOwn(calls[0]!.kwargs, '__proto__')).toBe(true);
    // Kept as data, never as a prototype.
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(stored!.args[0])).toBe(Object.prototype);
  });
});

describe('minimum interval', () => {
  it('an interval under a second is refused naming its field; a second is taken; a PATCH is held to it too', async () => {
    const { base } = await serve();
    const fast = await call(base, 'POST', '/jobs', '{"id":"fast","func":"tasks:ok","trigger":"interval","seconds":0.001}');
    expect(fast.status).toBe(400);
    expect(fast.json).toMatchObject({ field: 'seconds', reason: 'the interval is 0.001 s; the API takes jobs that fire at most every 1 s' });
    expect((await call(base, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"interval","minutes":0.001}')).json.field).toBe('minutes');
    expect((await call(base, 'GET', '/jobs/fast')).status).toBe(404);

    expect((await call(base, 'POST', '/jobs', '{"id":"second","func":"tasks:ok","trigger":"interval","seconds":1}')).status).toBe(201);
    expect((await call(base, 'POST', '/jobs', '{"id":"cron","func":"tasks:ok","trigger":"cron","second":"*"}')).status).toBe(201);
    const before = (await call(base, 'GET', '/jobs/second')).json;
    const patched = await call(base, 'PATCH', '/jobs/second', '{"trigger":"interval","seconds":0.5}');
    expect([patched.status, patched.json.field]).toStrictEqual([400, 'seconds']);
    expect((await call(base, 'GET', '/jobs/second')).json).toStrictEqual(before);
  });

  it('minIntervalSeconds sets it: intervals and cron schedules under it are refused, 0 turns it off', async () => {
    const { base, scheduler } = await serve({ minIntervalSeconds: 60 });
    const refused = async (body: object): Promise<string> => {
      const answer = await call(base, 'POST', '/jobs', JSON.stringify({ func: 'tasks:ok', ...body }));
      expect(answer.status, answer.text).toBe(400);
      return answer.json.field;
    };
    expect(await refused({ trigger: 'interval', seconds: 30 })).toBe('seconds');
    expect(await refused({ trigger: 'interval', minutes: 0.5, seconds: 20 })).toBe('seconds');
    expect(await refused({ trigger: 'cron', second: '*/10' })).toBe('second');
    // Seconds 0 and 59 of every minute: one second apart across each minute's end.
    expect(await refused({ trigger: 'cron', second: '0,59' })).toBe('second');
    expect((await call(base, 'GET', '/jobs')).json).toStrictEqual([]);
    for (const body of [
      { trigger: 'interval', minutes: 1 },
      { trigger: 'cron', minute: '*' },
      { trigger: 'calendarInterval', days: 1 },
      { trigger: 'date', run_date: '2030-01-01T00:00:00Z' },
    ]) {
      const answer = await call(base, 'POST', '/jobs', JSON.stringify({ func: 'tasks:ok', ...body }));
      expect(answer.status, answer.text).toBe(201);
    }
    // Each handler keeps its own minimum, even over one scheduler.
    const lenient = createJobstoreHandler(scheduler, { auth: false, minIntervalSeconds: 5 });
    const tenSeconds = await lenient(
      new Request('http://localhost/scheduler/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ func: 'tasks:ok', trigger: 'interval', seconds: 10 }) }),
    );
    expect(tenSeconds.status).toBe(201);
    expect(await refused({ trigger: 'interval', seconds: 10 })).toBe('seconds');
    expect(() => createJobstoreHandler(scheduler, { auth: false, minIntervalSeconds: -1 })).toThrow(/minIntervalSeconds/);

    const { base: hourly } = await serve({ minIntervalSeconds: 3600 });
    const half = await call(hourly, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"cron","minute":"*/30"}');
    expect([half.status, half.json.field]).toStrictEqual([400, 'minute']);
    expect(half.json.reason).toMatch(/^fires 1800 s apart \(.+ and .+\); the API takes jobs that fire at most every 3600 s$/);
    expect((await call(hourly, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"interval","hours":0.5}')).json.field).toBe('hours');
    expect((await call(hourly, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"cron","minute":"0"}')).status).toBe(201);

    const { base: open } = await serve({ minIntervalSeconds: 0 });
    expect((await call(open, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"interval","seconds":0.001}')).status).toBe(201);
  });

  it('a minimum that is not a number of seconds is refused when the handler is made', () => {
    const scheduler = new Scheduler();
    schedulers.push(scheduler);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '60']) {
      expect(() => createJobstoreHandler(scheduler, { auth: false, minIntervalSeconds: bad as number })).toThrow(/minIntervalSeconds must be a number of seconds, 0 or more/);
    }
  });
});

describe('jitter', () => {
  it('1e308 seconds is refused naming jitter, and nothing is stored; a day is taken', async () => {
    const { base } = await serve();
    const huge = await call(base, 'POST', '/jobs', '{"id":"j","func":"tasks:ok","trigger":"interval","seconds":10,"jitter":1e308}');
    expect(huge.status).toBe(400);
    expect(huge.json).toMatchObject({ field: 'jitter', reason: 'must be at most 86400 seconds (one day)' });
    expect((await call(base, 'POST', '/jobs', '{"func":"tasks:ok","trigger":"cron","minute":"*","jitter":86401}')).json.field).toBe('jitter');
    expect((await call(base, 'GET', '/jobs')).json).toStrictEqual([]);
    const day = await call(base, 'POST', '/jobs', '{"id":"j","func":"tasks:ok","trigger":"interval","hours":1,"jitter":86400}');
    expect(day.status).toBe(201);
    expect(new Date(day.json.next_run_time).getTime()).toBeLessThan(Date.now() + 3600_000 + 86_400_000 + 60_000);
    const patched = await call(base, 'PATCH', '/jobs/j', '{"trigger":"interval","hours":1,"jitter":1e308}');
    expect([patched.status, patched.json.field]).toStrictEqual([400, 'jitter']);
  });
});

describe('after a shutdown', () => {
  it('POST /start starts the scheduler again, and the jobs are listed again', async () => {
    const { base, scheduler } = await serve();
    expect((await call(base, 'POST', '/jobs', '{"id":"kept","func":"tasks:ok","trigger":"interval","minutes":5}')).status).toBe(201);
    expect((await call(base, 'POST', '/shutdown')).status).toBe(204);
    await expect.poll(() => scheduler.state).toBe('shut down');
    const closed = await call(base, 'GET', '/jobs');
    expect(closed.status).toBe(503);
    expect(closed.json).toMatchObject({ error: 'unavailable' });
    expect(closed.json.reason).toMatch(/is closed/);

    expect((await call(base, 'POST', '/start')).status).toBe(204);
    expect((await call(base, 'GET', '/')).json).toMatchObject({ running: true, state: 'running' });
    const listed = await call(base, 'GET', '/jobs');
    expect(listed.status).toBe(200);
    expect(listed.json.map((job: { id: string }) => job.id)).toStrictEqual(['kept']);
    expect((await call(base, 'POST', '/jobs', '{"id":"after","func":"tasks:ok","trigger":"interval","minutes":5}')).status).toBe(201);
    expect((await call(base, 'POST', '/start')).status).toBe(409);
  });

  it('a store that cannot be reopened answers 503 for reads and 409 for start, never 500', async () => {
    const { base } = await serve({ scheduler: new Scheduler({ timezone: 'UTC', jobstores: { default: new MemoryJobStore() } }) });
    expect((await call(base, 'POST', '/shutdown')).status).toBe(204);
    for (const path of ['/jobs', '/jobs/x']) {
      const answer = await call(base, 'GET', path);
      expect([answer.status, answer.json.error]).toStrictEqual([503, 'unavailable']);
    }
    const start = await call(base, 'POST', '/start');
    expect(start.status).toBe(409);
    expect(start.json.reason).toContain('jobstore "default" was given as an instance');
    expect((await call(base, 'POST', '/jobs', '{"func":"tasks:ok"}')).status).toBe(409);
    expect((await call(base, 'DELETE', '/jobs/x')).status).toBe(409);
  });
});

describe("the service's JOBS", () => {
  it('are held to the same nesting and jitter limits, with the same reasons', () => {
    const deep = JSON.parse(nested(3000)) as unknown;
    const refusal = (job: Record<string, unknown>): string => {
      try {
        loadConfig({ JOBS: [{ func: './tasks.mjs:tick', ...job }] }, {});
      } catch (error) {
        return (error as Error).message;
      }
      return 'taken';
    };
    expect(refusal({ args: deep })).toBe('jobstore config: JOBS[0]: args: nests arrays and objects more than 64 levels deep');
    expect(refusal({ kwargs: { x: deep } })).toBe('jobstore config: JOBS[0]: kwargs.x: nests arrays and objects more than 64 levels deep');
    expect(refusal({ trigger: 'interval', seconds: 5, jitter: 1e308 })).toBe(
      'jobstore config: JOBS[0]: jitter: must be a number of seconds greater than 0, at most 86400 (one day), or null, got 1e+308',
    );
    expect(refusal({ args: [{ when: new Date(0) }] })).toBe('jobstore config: JOBS[0]: args.0.when: a Date is not JSON');
    expect(refusal({ trigger: 'interval', seconds: 1, jitter: 86400, args: JSON.parse(nested(64)) as unknown[] })).toBe('taken');
  });
});
