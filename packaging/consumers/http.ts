// The REST API mounted on Node's own server: a job added and listed over HTTP.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJobstoreHandler, toNodeListener } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';

const TOKEN = 'packaging-token-0123456789';
const scheduler = new Scheduler({ jobstores: { default: { type: 'sql', url: 'sqlite:http-jobs.db' } } });
scheduler.registerTask('reports:send', async (to: string) => `sent to ${to}`);
await scheduler.start({ paused: true });
const handler = createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } });
const server = createServer(toNodeListener(handler));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scheduler`;
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
try {
  const denied = await fetch(`${base}/jobs`);
  const added = await fetch(`${base}/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: 'daily', func: 'reports:send', args: ['ops@example.com'], trigger: 'cron', hour: 7, replace_existing: true }),
  });
  const jobs = (await (await fetch(`${base}/jobs`, { headers })).json()) as Array<{ id: string; trigger: string }>;
  const removed = await fetch(`${base}/jobs/daily`, { method: 'DELETE', headers });
  if (denied.status !== 401 || added.status !== 201 || !jobs.some((job) => job.id === 'daily' && job.trigger === 'cron') || removed.status !== 204) {
    throw new Error(`packaging check failed: ${JSON.stringify({ denied: denied.status, added: added.status, jobs, removed: removed.status })}`);
  }
} finally {
  server.close();
  await scheduler.shutdown();
}
console.log(JSON.stringify({ steps: ['refused without a token', 'added', 'listed', 'removed'] }));
