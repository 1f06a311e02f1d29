import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJobstoreHandler, toNodeListener } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from './chromium.js';
import { stopScheduler } from './servers.js';

const executablePath = chromiumPath;

const TOKEN = 'dashboard-token-0123456789';
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url);

describe.skipIf(executablePath === undefined)('the dashboard in headless Chromium', () => {
  let scheduler: Scheduler;
  const runs: unknown[][] = [];
  let browser: Browser;
  let base = '';
  const server = createServer();

  beforeAll(async () => {
    const store = new MemoryJobStore();
    scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    scheduler.registerTask('reports:send', (...args: unknown[]) => void runs.push(args));
    await scheduler.start();
    await scheduler.addJob({ id: 'nightly-report', name: 'Nightly report', func: 'reports:send', trigger: 'cron', hour: 2, args: ['secret-arg'] });
    // Another process sharing the store added a job whose task this one does not have.
    const peer = new Scheduler({ jobstores: { default: store }, timezone: 'UTC' });
    peer.registerTask('reports:archive', () => undefined);
    await peer.addJob({ id: 'archive', func: 'reports:archive', trigger: 'cron', hour: 5 });
    server.on('request', toNodeListener(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: executablePath as string, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stopScheduler(scheduler);
  });

  it('signs in, pauses and resumes a job by clicking, and follows changes live', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await page.goto(`${base}/scheduler/dashboard`);
    // Nothing about the jobs before signing in.
    await page.getByTestId('token').waitFor();
    expect(await page.content()).not.toContain('secret-arg');
    expect(await page.content()).not.toContain('nightly-report');

    await page.getByTestId('token').fill(TOKEN);
    await page.getByTestId('sign-in').click();
    const row = page.locator('tr[data-job-id="nightly-report"]');
    await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('scheduled');
    expect(await row.locator('td').nth(2).textContent()).toContain('2');

    await row.locator('button[data-action="pause"]').click();
    await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('paused');
    expect((await scheduler.getJob('nightly-report'))?.nextRunTime).toBeNull();

    await row.locator('button[data-action="resume"]').click();
    await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('scheduled');
    expect((await scheduler.getJob('nightly-report'))?.nextRunTime).toBeInstanceOf(Date);

    // A job this process cannot run says so, and why, in its row; it can still be paused.
    const archive = page.locator('tr[data-job-id="archive"]');
    const state = archive.locator('td').nth(5);
    expect(await state.getAttribute('class')).toBe('state-unrunnable');
    expect(await state.getByTestId('state-reason').isVisible()).toBe(true);
    expect(await state.getByTestId('state-reason').textContent()).toMatch(/^task "reports:archive" is not registered in this process/);
    expect(await archive.locator('button[data-action="pause"]').count()).toBe(1);

    // A job added elsewhere appears without a reload: the page follows the event stream.
    await scheduler.addJob({ id: 'added-elsewhere', func: 'reports:send', trigger: 'interval', minutes: 5 });
    await page.locator('tr[data-job-id="added-elsewhere"]').waitFor({ timeout: 10_000 });

    // Run now goes through the executor; Remove asks first, then removes.
    await row.locator('button[data-action="run"]').click();
    await expect.poll(() => runs.length).toBe(1);
    const added = page.locator('tr[data-job-id="added-elsewhere"]');
    page.once('dialog', (dialog) => void dialog.accept());
    await added.locator('button[data-action="remove"]').click();
    await added.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await scheduler.getJob('added-elsewhere')).toBeNull();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true });
  }, 60_000);
});
