import { BaseJobStore, encodeData, InvalidArgumentError, type LogFields, type Logger, resolveLogger, type StoredJob } from '@jobstore/core';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingDriver } from './support/recording-driver.js';

/** A logger that keeps what it is told. */
function recorder(): Logger & { lines: [string, string, LogFields | undefined][] } {
  const lines: [string, string, LogFields | undefined][] = [];
  return {
    lines,
    debug: (message, fields) => lines.push(['debug', message, fields]),
    info: (message, fields) => lines.push(['info', message, fields]),
    warn: (message, fields) => lines.push(['warn', message, fields]),
    error: (message, fields) => lines.push(['error', message, fields]),
  };
}

const corrupt: StoredJob = { id: 'bad', nextRunTime: 0, data: '{"not":"the codec"', version: 1, acquiredBy: null, acquiredUntil: null };

function listenerBug(): never {
  throw new Error('listener bug\nsecond line');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a store reports through its logger option', () => {
  it('a corrupt record nobody listens for is a warning naming the store and the job', async () => {
    const driver = new RecordingDriver({ name: 'map:logs', notifications: 'push' });
    const logger = recorder();
    const store = new BaseJobStore(driver, { logger });
    driver.rows.set('bad', corrupt);
    driver.rows.set('good', { ...corrupt, id: 'good', data: encodeData({ n: 1 }) });
    expect((await store.getAllJobs()).map((job) => job.id)).toStrictEqual(['good']);
    expect(logger.lines).toHaveLength(1);
    const [level, message, fields] = logger.lines[0] ?? [];
    expect(level).toBe('warn');
    expect(message).toMatch(/^job "bad" in store "map:logs" \(getAllJobs\) cannot be decoded and was left as stored/);
    expect(fields).toStrictEqual({ store: 'map:logs', jobId: 'bad', operation: 'getAllJobs' });
  });

  it('a listener that throws is an error naming the store, the event and what it threw', async () => {
    const logger = recorder();
    const store = new BaseJobStore(new RecordingDriver({ name: 'map:logs', notifications: 'push' }), { logger });
    store.subscribe(listenerBug);
    await store.addJob({ id: 'a', nextRunTime: new Date(0) });
    await vi.waitFor(() => expect(logger.lines).toHaveLength(1));
    const [level, message, fields] = logger.lines[0] ?? [];
    expect(level).toBe('error');
    expect(message).toBe('a listener of store "map:logs" threw on an added event: listener bug\nsecond line');
    expect(fields).toMatchObject({ store: 'map:logs', event: 'added' });
    expect((fields?.['error'] as Error | undefined)?.message).toBe('listener bug\nsecond line');
  });

  it('the driver is handed the same logger at open, to report what only it can see', async () => {
    const driver = new RecordingDriver({ name: 'map:logs', notifications: 'push' });
    const logger = recorder();
    await new BaseJobStore(driver, { logger }).open();
    driver.logger?.warn('from the driver', { store: 'map:logs' });
    expect(logger.lines).toStrictEqual([['warn', 'from the driver', { store: 'map:logs' }]]);
  });

  it('a logger that throws loses its line, and the store carries on', async () => {
    const driver = new RecordingDriver({ name: 'map:logs', notifications: 'push' });
    const broken: Logger = {
      warn: () => {
        throw new Error('logger down');
      },
      error: () => {
        throw new Error('logger down');
      },
    };
    const store = new BaseJobStore(driver, { logger: broken });
    driver.rows.set('bad', corrupt);
    expect(await store.getAllJobs()).toStrictEqual([]);
    await store.open();
    expect(() => driver.logger?.debug?.('no debug method on that logger')).not.toThrow();
  });

  it('console is a Logger', () => {
    const asLogger: Logger = console;
    expect(() => new BaseJobStore(new RecordingDriver({ name: 'map:logs', notifications: 'push' }), { logger: asLogger })).not.toThrow();
  });
});

describe('the default logger and logger: false', () => {
  it('by default, a warning and an error are one line each on stderr: the message, then its fields as JSON', async () => {
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const store = new BaseJobStore(new RecordingDriver({ name: 'map:logs', notifications: 'push' }));
    store.subscribe(listenerBug);
    await store.addJob({ id: 'a', nextRunTime: new Date(0) });
    await vi.waitFor(() => expect(written.mock.calls.length).toBeGreaterThan(0));
    const lines = written.mock.calls.map(([text]) => String(text));
    expect(lines).toHaveLength(1);
    const [line = ''] = lines;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(line).toMatch(/^\[jobstore\] error: a listener of store "map:logs" threw on an added event: listener bug\\nsecond line \{/);
    const fields = JSON.parse(line.slice(line.indexOf(' {') + 1)) as Record<string, unknown>;
    expect(fields).toMatchObject({ store: 'map:logs', event: 'added' });
    expect(fields['error']).toMatch(/^Error: listener bug\nsecond line\n {4}at /);
  });

  it('by default a corrupt record nobody listens for is a warning line on stderr', async () => {
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const driver = new RecordingDriver({ name: 'map:logs', notifications: 'push' });
    driver.rows.set('bad', corrupt);
    await new BaseJobStore(driver).getAllJobs();
    expect(written.mock.calls.map(([text]) => String(text))).toStrictEqual([
      expect.stringMatching(/^\[jobstore\] warn: job "bad" in store "map:logs" \(getAllJobs\) cannot be decoded.* \{"store":"map:logs","jobId":"bad","operation":"getAllJobs"\}\n$/),
    ]);
  });

  it('logger: false says nothing, and neither console nor stderr hears anything', async () => {
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const errored = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const driver = new RecordingDriver({ name: 'map:logs', notifications: 'push' });
    const store = new BaseJobStore(driver, { logger: false });
    driver.rows.set('bad', corrupt);
    await store.getAllJobs();
    store.subscribe(listenerBug);
    await store.addJob({ id: 'a', nextRunTime: new Date(0) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).not.toHaveBeenCalled();
    expect(warned).not.toHaveBeenCalled();
    expect(errored).not.toHaveBeenCalled();
  });

  it('a logger option that is not a logger is refused with InvalidArgumentError, naming the store class', () => {
    class NamedStore extends BaseJobStore {}
    for (const logger of [{}, { warn: () => undefined }, { warn: () => undefined, error: 'no' }, { warn: () => undefined, error: () => undefined, debug: 1 }, 'stderr', true, null]) {
      expect(() => new NamedStore(new RecordingDriver({ name: 'map:logs', notifications: 'push' }), { logger: logger as never }), JSON.stringify(logger)).toThrow(InvalidArgumentError);
    }
    expect(() => new NamedStore(new RecordingDriver({ name: 'map:logs', notifications: 'push' }), { logger: {} as never })).toThrow(/^NamedStore: logger must have warn and error methods/);
  });
});

describe('pino, given as it is', () => {
  it('gets the fields first, as its own fields, and the error under err for its serializer', () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const logger = resolveLogger(log, 'test');
    logger.warn('store "s" is unavailable', { store: 's', error: new TypeError('refused') });
    logger.error('plain message');
    logger.info?.('below the level: not written');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(first).toMatchObject({ level: 40, msg: 'store "s" is unavailable', store: 's', err: { type: 'TypeError', message: 'refused' } });
    expect((first?.['err'] as { stack: string } | undefined)?.stack).toMatch(/^TypeError: refused\n\s+at /);
    expect(second).toMatchObject({ level: 50, msg: 'plain message' });
  });

  it('a logger that only looks like pino in part is called as console is', () => {
    const calls: unknown[][] = [];
    const lookalike = { levels: { values: {} }, warn: (...args: unknown[]) => void calls.push(args), error: () => undefined };
    resolveLogger(lookalike, 'test').warn('message', { a: 1 });
    expect(calls).toStrictEqual([['message', { a: 1 }]]);
  });
});
