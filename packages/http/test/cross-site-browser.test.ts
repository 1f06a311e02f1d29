import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, startService, type RunningService } from '@jobstore/http';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from './chromium.js';

const USER = 'admin';
const PASSWORD = 's3cret-pass';

/**
 * The attacks as a browser makes them: a page on another site (localhost is another site than
 * 127.0.0.1) posts to the API while the browser holds the user's Basic credentials, and a name
 * an attacker controls resolves to 127.0.0.1 (DNS rebinding).
 */
describe.skipIf(chromiumPath === undefined)('cross-site attacks in headless Chromium', () => {
  let service: RunningService;
  let api = '';
  let hostile: Server;
  let hostileBase = '';
  let browser: Browser;
  let context: BrowserContext;
  let hostilePage = '';

  beforeAll(async () => {
    const config = loadConfig({ SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, SCHEDULER_AUTH: { type: 'basic', username: USER, password: PASSWORD }, PORT: 0 }, {});
    service = await startService(config, { logger: false });
    service.scheduler.registerTask('tasks:ok', () => undefined);
    api = service.url as string;
    // The classic forgery: a text/plain form whose one field makes the body read as JSON.
    const forgedJob = '{"id":"forged","func":"tasks:ok","trigger":"interval","minutes":5,"x":"';
    hostile = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      if (req.url === '/form-add') res.end(`<form id=f method=POST enctype="text/plain" action="${api}/jobs"><input name='${forgedJob}' value='"}'></form><script>f.submit()</script>`);
      else if (req.url === '/form-pause') res.end(`<form id=f method=POST action="${api}/pause"></form><script>f.submit()</script>`);
      else res.end('<p>hostile</p>');
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', () => resolve()));
    hostileBase = `http://localhost:${(hostile.address() as AddressInfo).port}`;
    hostilePage = `${hostileBase}/`;
    browser = await chromium.launch({ executablePath: chromiumPath as string, args: ['--no-sandbox', `--host-resolver-rules=MAP rebind.test 127.0.0.1`] });
    context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
    // The user signs in: the browser now holds the credentials for the API's origin.
    const page = await context.newPage();
    expect((await page.goto(`${api}/jobs`))?.status()).toBe(200);
    await page.close();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    hostile?.closeAllConnections();
    hostile?.close();
    await service?.close();
  });

  const jobIds = async (): Promise<string[]> => (await service.scheduler.getJobs()).map((job) => job.id);

  it('a text/plain form from another site adds no job', async () => {
    const page = await context.newPage();
    const answer = page.waitForResponse((response) => response.url() === `${api}/jobs`);
    await page.goto(`${hostileBase}/form-add`);
    expect([403, 415]).toContain((await answer).status());
    expect(await jobIds()).not.toContain('forged');
    await page.close();
  });

  it('a form from another site does not pause the scheduler', async () => {
    const page = await context.newPage();
    const answer = page.waitForResponse((response) => response.url() === `${api}/pause`);
    await page.goto(`${hostileBase}/form-pause`);
    expect((await answer).status()).toBe(403);
    expect(service.scheduler.state).toBe('running');
    await page.close();
  });

  it("a script on another site, with the user's credentials and no-cors, changes nothing", async () => {
    const page = await context.newPage();
    await page.goto(hostilePage);
    await page.evaluate(async (target) => {
      const forged = { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' } } as const;
      await fetch(`${target}/jobs`, { ...forged, body: JSON.stringify({ id: 'forged-fetch', func: 'tasks:ok', trigger: 'interval', minutes: 5 }) });
      await fetch(`${target}/pause`, forged);
      await fetch(`${target}/jobs/none`, { ...forged, method: 'DELETE', mode: 'cors' }).catch(() => undefined);
    }, api);
    expect(await jobIds()).not.toContain('forged-fetch');
    expect(service.scheduler.state).toBe('running');
    await page.close();
  });

  it('the API on its own origin still takes changes from the browser', async () => {
    const page = await context.newPage();
    await page.goto(`${api}/dashboard`);
    const status = await page.evaluate(
      async (target) =>
        (
          await fetch(`${target}/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: 'own-page', func: 'tasks:ok', trigger: 'interval', minutes: 5 }),
          })
        ).status,
      api,
    );
    expect(status).toBe(201);
    expect(await jobIds()).toContain('own-page');
    await page.close();
  });

  it('a rebound name that resolves to 127.0.0.1 gets 421 and no jobs', async () => {
    const page = await context.newPage();
    const rebound = api.replace('127.0.0.1', 'rebind.test');
    const answer = await page.goto(`${rebound}/jobs`);
    expect(answer?.status()).toBe(421);
    expect(await answer?.text()).not.toContain('own-page');
    await page.close();
  });

  it('no other site can frame the dashboard', async () => {
    const page = await context.newPage();
    await page.goto(hostilePage);
    await page.setContent(`<iframe id=f src="${api}/dashboard"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((candidate) => candidate.url().startsWith(api));
    // Chromium blocks the load: the frame stays empty (chrome-error) instead of showing the page.
    const framedText =
      frame === undefined
        ? ''
        : await frame
            .locator('body')
            // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a user would see
            .innerText({ timeout: 1000 })
            .catch(() => '');
    expect(framedText).not.toMatch(/jobstore/i);
    await page.close();
  });
});
