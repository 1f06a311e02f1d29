import { loadConfig, startService, type RunningService } from '@jobstore/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'service-limits-token-0123456789';

describe('the service passes its API settings to the handler', () => {
  let service: RunningService;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  beforeAll(async () => {
    const config = loadConfig(
      { SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, SCHEDULER_AUTH: { type: 'bearer', token: TOKEN }, PORT: 0 },
      { SCHEDULER_API_MIN_INTERVAL: '60', SCHEDULER_API_MAX_STREAMS: '1' },
    );
    service = await startService(config, { logger: false });
    service.scheduler.registerTask('tasks:ok', () => undefined);
  });
  afterAll(() => service.close());

  it('SCHEDULER_API_MIN_INTERVAL: a 30 s interval is refused naming seconds, a 60 s one is taken', async () => {
    const refused = await fetch(`${service.url}/jobs`, { method: 'POST', headers, body: JSON.stringify({ func: 'tasks:ok', trigger: 'interval', seconds: 30 }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { field: string }).field).toBe('seconds');
    const taken = await fetch(`${service.url}/jobs`, { method: 'POST', headers, body: JSON.stringify({ func: 'tasks:ok', trigger: 'interval', seconds: 60 }) });
    expect(taken.status).toBe(201);
  });

  it('SCHEDULER_API_MAX_STREAMS: a second event stream gets 503 while the first is open, and one again once it closes', async () => {
    const first = new AbortController();
    const open = await fetch(`${service.url}/events`, { headers, signal: first.signal });
    expect(open.status).toBe(200);
    const second = await fetch(`${service.url}/events`, { headers });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).not.toBeNull();
    first.abort();
    await open.body?.cancel().catch(() => undefined);
    await expect
      .poll(
        async () => {
          const again = await fetch(`${service.url}/events`, { headers, signal: AbortSignal.timeout(2000) }).catch(() => null);
          const status = again?.status;
          await again?.body?.cancel().catch(() => undefined);
          return status;
        },
        { timeout: 10_000 },
      )
      .toBe(200);
  });
});
