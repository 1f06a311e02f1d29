import { request as httpRequest } from 'node:http';
import { createJobstoreHandler, loadConfig, startService, type RunningService } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BASIC = `Basic ${Buffer.from('admin:s3cret-pass').toString('base64')}`;
const JOB = JSON.stringify({ id: 'forged', func: 'tasks:ok', trigger: 'interval', minutes: 5 });

let service: RunningService;
let port = 0;

beforeAll(async () => {
  const config = loadConfig(
    {
      SCHEDULER_JOBSTORES: { default: { type: 'memory' } },
      SCHEDULER_AUTH: { type: 'basic', username: 'admin', password: 's3cret-pass' },
      PORT: 0,
      SCHEDULER_API_TRUSTED_ORIGINS: ['https://admin.example.com'],
    },
    {},
  );
  service = await startService(config, { logger: false });
  service.scheduler.registerTask('tasks:ok', () => undefined);
  port = Number(new URL(service.url as string).port);
});
afterAll(() => service.close());

/** A request with exactly these headers (a browser's, or a forger's), through Node's own client. */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: `/scheduler${path}`, headers: { host: `127.0.0.1:${port}`, authorization: BASIC, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jobIds = async (): Promise<string[]> => (await service.scheduler.getJobs()).map((job) => job.id);

describe('a page on another site, in a browser that holds Basic credentials', () => {
  it('cannot add a job with a text/plain form post (415), and nothing is stored', async () => {
    const forged = await send('POST', '/jobs', { 'content-type': 'text/plain' }, JOB);
    expect(forged.status).toBe(415);
    expect(JSON.parse(forged.text).reason).toMatch(/Content-Type: application\/json/);
    expect(await jobIds()).not.toContain('forged');
  });

  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another port or subdomain)', { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:1' }],
    ['Origin: null (a sandboxed frame, a file)', { origin: 'null' }],
  ])('cannot pause the scheduler or add a job with %s (403)', async (_label, headers) => {
    expect((await send('POST', '/pause', headers)).status).toBe(403);
    expect(service.scheduler.state).toBe('running');
    const add = await send('POST', '/jobs', { ...headers, 'content-type': 'application/json' }, JOB);
    expect(add.status).toBe(403);
    expect(JSON.parse(add.text).reason).toMatch(/cross-site request refused/);
    expect(await jobIds()).not.toContain('forged');
    expect((await send('DELETE', '/jobs/forged', headers)).status).toBe(403);
  });

  it('can still read (GET is not refused by origin; CORS keeps the answer from the page)', async () => {
    const read = await send('GET', '/jobs', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('requests that are not cross-site still work', () => {
  it('the same origin, a trusted origin, and clients that are not browsers can change jobs', async () => {
    const own = await send(
      'POST',
      '/jobs',
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      JSON.stringify({ id: 'own', func: 'tasks:ok', trigger: 'interval', minutes: 5 }),
    );
    expect(own.status).toBe(201);
    const trusted = await send(
      'POST',
      '/jobs',
      { origin: 'https://admin.example.com', 'sec-fetch-site': 'cross-site', 'content-type': 'application/json; charset=utf-8' },
      JSON.stringify({ id: 'trusted', func: 'tasks:ok', trigger: 'interval', minutes: 5 }),
    );
    expect(trusted.status).toBe(201);
    const curl = await send('POST', '/jobs', { 'content-type': 'application/json' }, JSON.stringify({ id: 'curl', func: 'tasks:ok', trigger: 'interval', minutes: 5 }));
    expect(curl.status).toBe(201);
    // No body needs no Content-Type: `curl -X POST …/pause`.
    expect((await send('POST', '/pause', {})).status).toBe(204);
    expect((await send('POST', '/resume', { 'sec-fetch-site': 'none' })).status).toBe(204);
    expect(await jobIds()).toEqual(expect.arrayContaining(['own', 'trusted', 'curl']));
  });
});

describe('DNS rebinding: the service bound to loopback answers only to loopback names', () => {
  it.each(['evil.example', 'evil.example:5000', 'attacker.127.0.0.1.nip.io', '127.0.0.1.evil.example'])('Host %s gets 421, with or without credentials', async (host) => {
    const answer = await send('GET', '/jobs', { host });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.text).reason).toMatch(/SCHEDULER_API_HOSTS/);
    expect((await send('GET', '/dashboard', { host })).status).toBe(421);
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', 'app.localhost', '[::1]'])('Host %s (any port) is served', async (name) => {
    expect((await send('GET', '/jobs', { host: `${name}:${port}` })).status).toBe(200);
    expect((await send('GET', '/jobs', { host: name })).status).toBe(200);
  });

  it('a handler with no hosts set answers any Host; with hosts set, only those', async () => {
    const scheduler = new Scheduler({ jobstores: { default: new MemoryJobStore() } });
    const open = createJobstoreHandler(scheduler, { auth: false });
    expect((await open(new Request('http://anything.example/scheduler/jobs'))).status).toBe(200);
    const listed = createJobstoreHandler(scheduler, { auth: false, hosts: ['jobs.example.com', '*.internal'] });
    expect((await listed(new Request('http://jobs.example.com/scheduler/jobs', { headers: { host: 'jobs.example.com' } }))).status).toBe(200);
    expect((await listed(new Request('http://a.b.internal:8080/scheduler/jobs', { headers: { host: 'a.b.internal:8080' } }))).status).toBe(200);
    expect((await listed(new Request('http://jobs.example.com/scheduler/jobs', { headers: { host: 'other.example.com' } }))).status).toBe(421);
  });
});

describe('the dashboard and every answer refuse to be framed', () => {
  it.each(['/dashboard', '/jobs', '/nowhere'])('GET %s says frame-ancestors none, X-Frame-Options DENY and nosniff', async (path) => {
    const answer = await send('GET', path, {});
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(String(answer.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  });
});
