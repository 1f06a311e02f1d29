import { createJobstoreHandler } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './raw-http.js';
import { ADAPTERS, stopScheduler, type Mounted } from './servers.js';

const TOKEN = 'preflight-token-0123456789';

// An app-wide express.json() placed before the middleware reads every body itself, first: the app's choice.
const READS_BODIES_ITSELF = new Set(['express, after express.json()']);

for (const [adapter, mount] of Object.entries(ADAPTERS)) {
  describe(`${adapter}: headers are checked before the body is read`, () => {
    let scheduler: Scheduler;
    let server: Mounted;
    let port = 0;
    beforeAll(async () => {
      scheduler = new Scheduler({ jobstores: { default: new MemoryJobStore() } });
      server = await mount(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } }));
      port = Number(new URL(server.base).port);
    });
    afterAll(async () => {
      await server.close();
      await stopScheduler(scheduler);
    });

    const headersOnly = (extra: string): string => `POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 1048576\r\n${extra}\r\n`;

    it.skipIf(READS_BODIES_ITSELF.has(adapter)).each([
      ['no credentials', 'Content-Type: application/json\r\n', 401],
      ['another site', `Authorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nOrigin: https://evil.example\r\n`, 403],
      ['a text/plain body', `Authorization: Bearer ${TOKEN}\r\nContent-Type: text/plain\r\n`, 415],
    ])('a POST declaring 1 MiB with %s is answered from its headers, before any of the body is sent', async (_label, extra, status) => {
      const answer = await rawRequest(port, headersOnly(extra), 5000);
      expect(answer.status).toBe(status);
    });

    it('a request target that is no URL is a 400 (Express itself says 404), and the server goes on', async () => {
      const answer = await rawRequest(port, `GET http://[/scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 5000);
      expect([400, 404]).toContain(answer.status);
      expect((await fetch(`${server.base}/scheduler`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    });
  });
}
