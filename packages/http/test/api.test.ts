import { request as httpRequest } from 'node:http';
import { createJobstoreHandler, DASHBOARD_HEADER } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADAPTERS, stopScheduler, type Mounted } from './servers.js';

const TOKEN = 'test-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

for (const [adapter, mount] of Object.entries(ADAPTERS)) {
  describe(`the REST API through ${adapter}`, () => {
    const runs: unknown[][] = [];
    let scheduler: Scheduler;
    let server: Mounted;

    /** A real HTTP request; JSON body when given as an object. */
    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<{ status: number; json: any; headers: Headers }> {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      const response = await fetch(`${server.base}${path}`, init);
      const text = await response.text();
      let json: unknown = text;
      try {
        json = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, json, headers: response.headers };
    }

    beforeAll(async () => {
      scheduler = new Scheduler({ timezone: 'UTC' });
      scheduler.registerTask('tasks:record', (...args: unknown[]) => void runs.push(args));
      scheduler.registerTask('tasks:other', () => undefined);
      await scheduler.start();
      server = await mount(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } }));
    });

    afterAll(async () => {
      await server.close();
      await stopScheduler(scheduler);
    });

    it('GET /scheduler tells what the scheduler is doing', async () => {
      const { status, json } = await call('GET', '/scheduler');
      expect(status).toBe(200);
      expect(json).toMatchObject({ running: true, state: 'running', allowed_hosts: ['*'], timezone: 'UTC' });
      expect(typeof json.current_host).toBe('string');
    });

    it('refuses every endpoint without credentials, or with wrong ones, and shows nothing of the jobs', async () => {
      await call('POST', '/scheduler/jobs', { id: 'secret', func: 'tasks:record', trigger: 'date', run_date: '2099-01-01T00:00:00Z', args: ['s3cr3t-arg'] });
      const endpoints: [string, string][] = [
        ['GET', '/scheduler'],
        ['POST', '/scheduler/pause'],
        ['POST', '/scheduler/resume'],
        ['POST', '/scheduler/start'],
        ['POST', '/scheduler/shutdown'],
        ['GET', '/scheduler/jobs'],
        ['POST', '/scheduler/jobs'],
        ['GET', '/scheduler/jobs/secret'],
        ['PATCH', '/scheduler/jobs/secret'],
        ['DELETE', '/scheduler/jobs/secret'],
        ['POST', '/scheduler/jobs/secret/pause'],
        ['POST', '/scheduler/jobs/secret/resume'],
        ['POST', '/scheduler/jobs/secret/run'],
        ['GET', '/scheduler/events'],
      ];
      for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, { authorization: TOKEN }]) {
        for (const [method, path] of endpoints) {
          const { status, json, headers: answer } = await call(method, path, method === 'GET' ? undefined : {}, headers);
          expect([method, path, status]).toStrictEqual([method, path, 401]);
          expect(JSON.stringify(json)).not.toContain('s3cr3t');
          expect(answer.get('www-authenticate')).toMatch(/^Bearer/);
        }
      }
      // The job is untouched, and the scheduler still runs.
      expect((await call('GET', '/scheduler/jobs/secret')).json).toMatchObject({ args: ['s3cr3t-arg'], state: 'scheduled' });
      expect((await call('GET', '/scheduler')).json.state).toBe('running');
      // The dashboard's own requests get no browser challenge.
      expect((await call('GET', '/scheduler/jobs', undefined, { [DASHBOARD_HEADER]: '1' })).headers.get('www-authenticate')).toBeNull();
    });

    it('POST /scheduler/jobs adds a job from a Flask-APScheduler body and answers with it', async () => {
      const { status, json } = await call('POST', '/scheduler/jobs', {
        id: 'every-ten',
        func: 'tasks:record',
        trigger: 'interval',
        seconds: 10,
        start_date: '2030-01-01T00:00:00Z',
        args: [1, 'two'],
        kwargs: { a: 1 },
        max_instances: 2,
        misfire_grace_time: 30,
      });
      expect(status).toBe(201);
      expect(json).toStrictEqual({
        id: 'every-ten',
        name: 'tasks:record',
        func: 'tasks:record',
        args: [1, 'two'],
        kwargs: { a: 1 },
        trigger: 'interval',
        start_date: '2030-01-01T00:00:00.000Z',
        seconds: 10,
        timezone: 'UTC',
        misfire_grace_time: 30,
        max_instances: 2,
        coalesce: true,
        executor: 'default',
        jobstore: 'default',
        next_run_time: '2030-01-01T00:00:00.000Z',
        state: 'scheduled',
        description: expect.any(String),
      });
      expect((await call('GET', '/scheduler/jobs/every-ten')).json).toStrictEqual(json);
      expect((await call('GET', '/scheduler/jobs')).json.map((job: { id: string }) => job.id)).toContain('every-ten');
    });

    it('takes camelCase fields too, and cron jobs with their fields', async () => {
      const { status, json } = await call('POST', '/scheduler/jobs', { id: 'nightly', func: 'tasks:other', trigger: 'cron', hour: 3, minute: '15', dayOfWeek: 'mon-fri', replaceExisting: true });
      expect(status).toBe(201);
      expect(json).toMatchObject({ trigger: 'cron', hour: '3', minute: '15', day_of_week: 'mon-fri' });
    });

    it('an id that exists is 409 Conflict, unless replace_existing', async () => {
      await call('POST', '/scheduler/jobs', { id: 'twice', func: 'tasks:other', trigger: 'date', run_date: '2099-01-01T00:00:00Z' });
      const again = await call('POST', '/scheduler/jobs', { id: 'twice', func: 'tasks:other', trigger: 'date', run_date: '2099-06-01T00:00:00Z' });
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({ error: 'conflict', field: 'id' });
      const replaced = await call('POST', '/scheduler/jobs', { id: 'twice', func: 'tasks:other', trigger: 'date', run_date: '2099-06-01T00:00:00Z', replace_existing: true });
      expect(replaced.status).toBe(201);
      expect(replaced.json.run_date).toBe('2099-06-01T00:00:00.000Z');
    });

    // express.json() before the middleware answers a body that is not JSON itself.
    const unparsable: [string, unknown, string | null][] = adapter.includes('express.json') ? [] : [['a body that is not JSON', '{"id": ', null]];
    it.each<[string, unknown, string | null]>([
      ...unparsable,
      ['a body that is an array', [1, 2], null],
      ['no func', { id: 'x', trigger: 'date', run_date: '2099-01-01T00:00:00Z' }, 'func'],
      ['a field no job has', { func: 'tasks:other', colour: 'red' }, 'colour'],
      ['seconds as text', { func: 'tasks:other', trigger: 'interval', seconds: 'ten' }, 'seconds'],
      ['a negative interval', { func: 'tasks:other', trigger: 'interval', minutes: -5 }, 'minutes'],
      ['an unknown trigger type', { func: 'tasks:other', trigger: 'sometimes' }, 'trigger'],
      ['args that are not a list', { func: 'tasks:other', args: 'a,b' }, 'args'],
      ['an id that is too long', { id: 'x'.repeat(2000), func: 'tasks:other' }, 'id'],
      ['a task this process does not know', { func: 'tasks:nope', trigger: 'date', run_date: '2099-01-01T00:00:00Z' }, 'func'],
      ['a cron field out of range', { func: 'tasks:other', trigger: 'cron', hour: '99' }, 'hour'],
      ['an interval of nothing', { func: 'tasks:other', trigger: 'interval' }, 'trigger'],
      ['a time zone that does not exist', { func: 'tasks:other', trigger: 'interval', minutes: 1, timezone: 'Mars/Olympus' }, 'timezone'],
      ['a date that is not a date', { func: 'tasks:other', trigger: 'date', run_date: 'next tuesday' }, 'run_date'],
      ['a next_run_time that is not a date', { func: 'tasks:other', next_run_time: 'soon' }, 'next_run_time'],
    ])('%s is 400 with the field and the reason, and adds nothing', async (_, body, field) => {
      const before = (await call('GET', '/scheduler/jobs')).json.length;
      const { status, json } = await call('POST', '/scheduler/jobs', body);
      expect(status).toBe(400);
      expect(json.error).toBe('invalid request');
      expect(json.field).toBe(field);
      expect(typeof json.reason).toBe('string');
      expect(json.reason.length).toBeGreaterThan(3);
      // Flask-APScheduler's clients read error_message.
      expect(json.error_message).toContain(json.reason);
      expect((await call('GET', '/scheduler/jobs')).json.length).toBe(before);
    });

    it('an unknown id is 404 on every job endpoint', async () => {
      for (const [method, path] of [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/pause'],
        ['POST', '/resume'],
        ['POST', '/run'],
      ] as const) {
        const { status, json } = await call(method, `/scheduler/jobs/no-such-job${path}`, method === 'GET' || method === 'DELETE' ? undefined : {});
        expect([method, path, status, json.error]).toStrictEqual([method, path, 404, 'not found']);
      }
    });

    it('PATCH changes fields, and replaces the trigger only with its type', async () => {
      await call('POST', '/scheduler/jobs', { id: 'patched', func: 'tasks:other', trigger: 'interval', hours: 1 });
      const renamed = await call('PATCH', '/scheduler/jobs/patched', { name: 'hourly report', args: ['x'], max_instances: 3 });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toMatchObject({ name: 'hourly report', args: ['x'], max_instances: 3, trigger: 'interval', hours: 1 });
      const partial = await call('PATCH', '/scheduler/jobs/patched', { minutes: 5 });
      expect(partial.status).toBe(400);
      expect(partial.json.field).toBe('trigger');
      const rescheduled = await call('PATCH', '/scheduler/jobs/patched', { trigger: 'cron', minute: '*/5' });
      expect(rescheduled.status).toBe(200);
      expect(rescheduled.json).toMatchObject({ trigger: 'cron', minute: '*/5', name: 'hourly report' });
      expect((await call('PATCH', '/scheduler/jobs/patched', { max_instances: 0 })).json.field).toBe('max_instances');
    });

    it('pause and resume a job', async () => {
      await call('POST', '/scheduler/jobs', { id: 'toggle', func: 'tasks:other', trigger: 'interval', minutes: 1 });
      const paused = await call('POST', '/scheduler/jobs/toggle/pause');
      expect(paused.status).toBe(200);
      expect(paused.json).toMatchObject({ state: 'paused', next_run_time: null });
      const resumed = await call('POST', '/scheduler/jobs/toggle/resume');
      expect(resumed.status).toBe(200);
      expect(resumed.json.state).toBe('scheduled');
      expect(Date.parse(resumed.json.next_run_time)).toBeGreaterThan(Date.now());
    });

    it('run answers 202 at once and runs the job through its executor, leaving its schedule alone', async () => {
      await call('POST', '/scheduler/jobs', { id: 'run-me', func: 'tasks:record', trigger: 'date', run_date: '2099-01-01T00:00:00Z', args: ['ran', adapter] });
      const { status, json } = await call('POST', '/scheduler/jobs/run-me/run');
      expect(status).toBe(202);
      expect(json.next_run_time).toBe('2099-01-01T00:00:00.000Z');
      await vi.waitFor(() => expect(runs).toContainEqual(['ran', adapter]), { timeout: 5000, interval: 10 });
      expect((await call('GET', '/scheduler/jobs/run-me')).json.next_run_time).toBe('2099-01-01T00:00:00.000Z');
    });

    it('DELETE removes the job', async () => {
      await call('POST', '/scheduler/jobs', { id: 'doomed', func: 'tasks:other', trigger: 'interval', minutes: 1 });
      expect((await call('DELETE', '/scheduler/jobs/doomed')).status).toBe(204);
      expect((await call('GET', '/scheduler/jobs/doomed')).status).toBe(404);
    });

    it('ids with slashes, spaces and unicode travel percent-encoded', async () => {
      const id = 'reports/daily run ✓';
      expect((await call('POST', '/scheduler/jobs', { id, func: 'tasks:other', trigger: 'interval', minutes: 1 })).status).toBe(201);
      const { status, json } = await call('GET', `/scheduler/jobs/${encodeURIComponent(id)}`);
      expect(status).toBe(200);
      expect(json.id).toBe(id);
      expect((await call('POST', `/scheduler/jobs/${encodeURIComponent(id)}/pause`)).json.state).toBe('paused');
      expect((await call('GET', '/scheduler/jobs/%E0%A4%A')).status).toBe(400);
    });

    it('a path with a dot segment, even percent-encoded, is refused before URL parsing resolves it into another endpoint', async () => {
      await call('POST', '/scheduler/jobs', { id: 'dots', func: 'tasks:other', trigger: 'interval', minutes: 1 });
      // fetch (and a URL given to node:http) resolves dot segments before sending; a `path` option is sent as written.
      const { hostname, port } = new URL(server.base);
      const raw = (method: string, path: string): Promise<{ status: number; json: any }> =>
        new Promise((resolve, reject) => {
          const request = httpRequest({ hostname, port, path, method, headers: AUTH }, (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
              try {
                resolve({ status: response.statusCode ?? 0, json: text === '' ? null : JSON.parse(text) });
              } catch (error) {
                reject(new Error(`${method} ${path}: ${response.statusCode} ${text}`, { cause: error }));
              }
            });
          });
          request.on('error', reject);
          request.end();
        });
      for (const [method, path] of [
        ['POST', '/scheduler/jobs/%2e%2e/pause'],
        ['POST', '/scheduler/jobs/../pause'],
        ['POST', '/scheduler/jobs/.%2E/pause'],
        ['POST', '/scheduler/jobs/dots/%2E%2e/%2e%2e/pause'],
        ['POST', '/scheduler/jobs/..\\pause'],
        ['DELETE', '/scheduler/jobs/dots/%2e'],
        ['GET', '/scheduler/jobs/%2e%2e?x=1'],
        ['GET', '/scheduler/./jobs'],
      ] as const) {
        const { status, json } = await raw(method, path);
        expect([method, path, status, json?.error]).toStrictEqual([method, path, 400, 'invalid request']);
        expect(json.reason).toMatch(/"\." or "\.\." segment/);
      }
      // Nothing was paused or removed; ordinary dots in an id still travel.
      expect((await call('GET', '/scheduler')).json.state).toBe('running');
      expect((await call('GET', '/scheduler/jobs/dots')).json.state).toBe('scheduled');
      expect((await raw('GET', '/scheduler/jobs/dots')).status).toBe(200);
      await call('POST', '/scheduler/jobs', { id: 'a.b...', func: 'tasks:other', trigger: 'interval', minutes: 1 });
      expect((await raw('GET', '/scheduler/jobs/a.b...')).json.id).toBe('a.b...');
    });

    it('pause, resume and start the scheduler; starting a running one is 409', async () => {
      expect((await call('POST', '/scheduler/pause')).status).toBe(204);
      expect((await call('GET', '/scheduler')).json.state).toBe('paused');
      expect((await call('POST', '/scheduler/resume')).status).toBe(204);
      expect((await call('GET', '/scheduler')).json.state).toBe('running');
      const start = await call('POST', '/scheduler/start');
      expect(start.status).toBe(409);
      expect(start.json.error).toBe('conflict');
    });

    it('a wrong method is 405 with Allow, an unknown path 404, and the app keeps its own routes', async () => {
      const wrong = await call('PUT', '/scheduler/jobs', {});
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET, POST');
      expect((await call('GET', '/scheduler/nothing-here')).status).toBe(404);
      const health = await fetch(`${server.base}/health`);
      expect([health.status, await health.text()]).toStrictEqual([200, 'ok']);
    });

    it('a body over the limit is 413', async () => {
      const { status } = await call('POST', '/scheduler/jobs', { func: 'tasks:other', args: ['x'.repeat(1024 * 1024 + 10)] });
      // express.json() before the middleware has a limit of its own (100 kB) and says so first.
      expect(status).toBe(413);
    });

    it('GET /scheduler/events streams scheduler events as server-sent events', async () => {
      const controller = new AbortController();
      const response = await fetch(`${server.base}/scheduler/events`, { headers: AUTH, signal: controller.signal });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
      await call('POST', '/scheduler/jobs', { id: 'streamed', func: 'tasks:other', trigger: 'interval', minutes: 1 });
      let text = '';
      while (!text.includes('event: job_added')) text += (await reader.read()).value ?? '';
      expect(text).toMatch(/event: job_added\ndata: \{"type":"job_added","code":512,"jobId":"streamed","jobstore":"default"\}/);
      controller.abort();
    });
  });
}

describe('shutdown through the API', () => {
  it('POST /scheduler/shutdown stops the scheduler; basic auth is checked too', async () => {
    const scheduler = new Scheduler({ timezone: 'UTC' });
    await scheduler.start();
    const server = await ADAPTERS['node:http']!(createJobstoreHandler(scheduler, { auth: { basic: { username: 'ops', password: 'p@ss:word' } }, prefix: '/api/jobs' }));
    try {
      const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
      const wrong = await fetch(`${server.base}/api/jobs/shutdown`, { method: 'POST', headers: basic('ops', 'nope') });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(scheduler.state).toBe('running');
      const done = await fetch(`${server.base}/api/jobs/shutdown`, { method: 'POST', headers: basic('ops', 'p@ss:word') });
      expect(done.status).toBe(204);
      await vi.waitFor(() => expect(scheduler.state).toBe('shut down'), { timeout: 5000, interval: 10 });
    } finally {
      await server.close();
    }
  });

  it('a check of its own decides, and may look at anything in the request', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    const handler = createJobstoreHandler(scheduler, {
      auth: {
        check: async (request) => {
          seen.push(new URL(request.url).pathname);
          return request.headers.get('x-api-key') === 'k1';
        },
      },
    });
    const refused = await handler(new Request('http://x/scheduler/jobs', { headers: { 'x-api-key': 'k2' } }));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'unauthorized', error_message: 'missing or wrong credentials' });
    expect((await handler(new Request('http://x/scheduler/jobs', { headers: { 'x-api-key': 'k1' } }))).status).toBe(200);
    expect(seen).toStrictEqual(['/scheduler/jobs', '/scheduler/jobs']);
    await stopScheduler(scheduler);
  });

  it('auth has no default: leaving it out is refused, false turns it off on purpose', async () => {
    const scheduler = new Scheduler();
    expect(() => createJobstoreHandler(scheduler, {} as never)).toThrow(/auth is required/);
    expect(() => createJobstoreHandler(scheduler, { auth: { bearer: 'short' } })).toThrow(/at least 16/);
    const open = createJobstoreHandler(scheduler, { auth: false });
    expect((await open(new Request('http://x/scheduler'))).status).toBe(200);
    await stopScheduler(scheduler);
  });
});
