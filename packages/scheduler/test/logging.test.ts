import { type JobStore, type LogFields, type Logger, StoreUnavailableError } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, inMs, makeScheduler, sleep } from './support.js';

afterEach(cleanup);

interface Line {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

function recorder(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: Line['level']) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const matching = (lines: readonly Line[], pattern: RegExp): Line[] => lines.filter((line) => pattern.test(line.message));

/** A memory store whose claims fail as a store that went away does, while `down.on` is set. */
function flaky(): { store: JobStore; down: { on: boolean } } {
  const down = { on: false };
  const memory = new MemoryJobStore();
  const store = new Proxy(memory, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'acquireDueJobs') return value.bind(target);
      return async (...args: unknown[]) => {
        if (down.on) throw new StoreUnavailableError(target.name, 'acquireDueJobs', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
        return value.apply(target, args);
      };
    },
  });
  return { store, down };
}

describe('what the scheduler logs with no listener', () => {
  it("a job's error, with its stack, once per failed run", async () => {
    const { logger, lines } = recorder();
    const { scheduler } = makeScheduler({ logger });
    scheduler.registerTask('explode', () => {
      throw new TypeError('the task broke');
    });
    await scheduler.start();
    await scheduler.addJob({ id: 'boom', func: 'explode', trigger: 'interval', seconds: 0.2, startDate: inMs(50) });
    await vi.waitFor(() => expect(matching(lines, /^job "boom"/).length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    const [first] = matching(lines, /^job "boom"/);
    expect(first?.level).toBe('error');
    expect(first?.message).toMatch(/^job "boom" \(store "default", run at \d{4}-\d\d-\d\dT[\d:.]+Z\) raised: the task broke$/);
    expect(first?.fields).toMatchObject({ jobId: 'boom', jobstore: 'default' });
    expect((first?.fields?.['error'] as Error | undefined)?.stack).toMatch(/TypeError: the task broke\n\s+at /);
  });

  it('the default writes it to stderr, one line with the stack; logger: false writes nothing', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (const logger of [undefined, false] as const) {
        const { scheduler } = makeScheduler(logger === undefined ? {} : { logger });
        scheduler.registerTask('explode', () => {
          throw new Error(`broke with logger ${String(logger)}`);
        });
        await scheduler.start();
        await scheduler.addJob({ id: `once-${String(logger)}`, func: 'explode' });
        await sleep(300);
        await scheduler.shutdown();
      }
    } finally {
      spy.mockRestore();
    }
    const ours = written.filter((line) => line.includes('broke with logger'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^\[jobstore\] error: job "once-undefined" .* raised: broke with logger undefined \{.*"error":"Error: broke with logger undefined\\n\s+at /);
    expect(ours[0]?.endsWith('\n')).toBe(true);
    expect(ours[0]?.split('\n')).toHaveLength(2);
  });

  it('a missed run and a run skipped by maxInstances', async () => {
    const { logger, lines } = recorder();
    const { scheduler } = makeScheduler({ logger });
    scheduler.registerTask('slow', () => sleep(500));
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    await scheduler.addJob({ id: 'late', func: 'noop', trigger: 'date', runDate: inMs(-5000), misfireGraceTime: 1 });
    await scheduler.addJob({ id: 'busy', func: 'slow', trigger: 'interval', seconds: 0.1, coalesce: true, maxInstances: 1 });
    // The fire times a 0.5 s run overlapped are reported as it ends.
    await vi.waitFor(() => expect(matching(lines, /skipped/).length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
    const [missed] = matching(lines, /^run of job "late"/);
    expect(missed?.level).toBe('warn');
    expect(missed?.message).toMatch(/^run of job "late" \(store "default"\) at .+Z was missed by [56]\.\d s$/);
    const [skipped] = matching(lines, /^job "busy"/);
    expect(skipped?.level).toBe('warn');
    expect(skipped?.message).toMatch(/^job "busy" \(store "default"\): (the run at .+Z|\d+ runs) skipped: maximum number of running instances reached$/);
  });

  it('a store that goes away and comes back: once each way, with how long it was gone', async () => {
    const { logger, lines } = recorder();
    const { store, down } = flaky();
    const { scheduler } = makeScheduler({ logger, jobstores: { default: store } });
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    await scheduler.addJob({ id: 'tick', func: 'noop', trigger: 'interval', seconds: 0.05 });
    await sleep(100);
    down.on = true;
    // Long enough for several failed claims (backoff 100, 200, 400 ms...).
    await sleep(900);
    expect(matching(lines, /unavailable/)).toHaveLength(1);
    down.on = false;
    await vi.waitFor(() => expect(matching(lines, /is back/)).toHaveLength(1), { timeout: 8000, interval: 20 });
    const [gone] = matching(lines, /unavailable/);
    expect(gone).toMatchObject({ level: 'warn', fields: { jobstore: 'default' } });
    expect(gone?.message).toMatch(/^store "default" is unavailable; retrying with backoff: .*ECONNREFUSED/);
    const [back] = matching(lines, /is back/);
    expect(back?.level).toBe('warn');
    expect(back?.message).toMatch(/^store "default" is back after \d+\.\d s$/);
    expect(back?.fields?.['downMs']).toBeGreaterThanOrEqual(800);
    // And only once.
    await sleep(300);
    expect(matching(lines, /unavailable|is back/)).toHaveLength(2);
  });

  it('a listener that throws is logged as an error, and the scheduler goes on', async () => {
    const { logger, lines } = recorder();
    const { scheduler } = makeScheduler({ logger });
    scheduler.addListener(() => {
      throw new Error('listener bug');
    }, ['job_added']);
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    await scheduler.addJob({ id: 'a', func: 'noop', trigger: 'interval', hours: 1 });
    expect(matching(lines, /listener/)).toStrictEqual([{ level: 'error', message: 'a scheduler listener threw on job_added: listener bug', fields: { event: 'job_added', error: expect.any(Error) } }]);
    expect((await scheduler.getJobs()).map((job) => job.id)).toStrictEqual(['a']);
  });

  it('refuses a logger without warn and error', () => {
    expect(() => makeScheduler({ logger: { info: () => undefined } as unknown as Logger })).toThrow(/Scheduler: logger must have warn and error methods/);
  });
});
