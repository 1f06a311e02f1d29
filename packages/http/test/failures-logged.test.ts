import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '@jobstore/core';
import { createJobstoreHandler, loadConfig, type ServiceLogger, startService } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stopScheduler } from './servers.js';

const dir = mkdtempSync(join(tmpdir(), 'jobstore-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'tasks.mjs'), `export function fail() { throw new RangeError('the report could not be built'); }\n`);

function recorder(): { logger: Logger & ServiceLogger; errors: { message: string; fields: LogFields | undefined }[] } {
  const errors: { message: string; fields: LogFields | undefined }[] = [];
  const ignore = (): void => undefined;
  return {
    logger: { debug: ignore, info: ignore, warn: ignore, error: (message: string, fields?: LogFields) => void errors.push({ message, fields }) },
    errors,
  };
}

describe('failures the person on call must see', () => {
  it('under the service, a failing job is logged each time with its error and stack (before: nothing)', async () => {
    const { logger, errors } = recorder();
    const config = loadConfig(
      {
        SCHEDULER_JOBSTORES: { default: { type: 'memory' } },
        SCHEDULER_TIMEZONE: 'UTC',
        SCHEDULER_API_ENABLED: false,
        TASKS: ['./tasks.mjs'],
        JOBS: [{ id: 'nightly-report', func: './tasks.mjs:fail', trigger: 'interval', seconds: 1, next_run_time: new Date(Date.now() + 100).toISOString() }],
      },
      {},
    );
    const service = await startService(config, { baseDir: dir, logger });
    try {
      await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    } finally {
      await service.close();
    }
    expect(errors[0]?.message).toMatch(/^job "nightly-report" \(store "default", run at .+Z\) raised: the report could not be built$/);
    expect((errors[0]?.fields?.['error'] as Error | undefined)?.stack).toMatch(/^RangeError: the report could not be built\n\s+at fail /);
  });

  it('a request that fails inside the server is a 500 for the client and an error with the stack in the log', async () => {
    const { logger, errors } = recorder();
    const scheduler = new Scheduler({ timezone: 'UTC', logger: false });
    await scheduler.start();
    try {
      scheduler.getJobs = () => Promise.reject(new Error('the disk is on fire'));
      const handler = createJobstoreHandler(scheduler, { auth: false, logger });
      const response = await handler(new Request('http://localhost/scheduler/jobs?x=1'));
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: 'internal error' });
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toBe('GET /scheduler/jobs failed: the disk is on fire');
      expect(errors[0]?.fields).toMatchObject({ method: 'GET', path: '/scheduler/jobs' });
      expect((errors[0]?.fields?.['error'] as Error | undefined)?.stack).toMatch(/^Error: the disk is on fire\n\s+at /);
    } finally {
      await stopScheduler(scheduler);
    }
  });
});
