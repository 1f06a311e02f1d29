import { RedisServer } from '@jobstore/conformance';
import { RedisJobStore } from '@jobstore/store-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger.js';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

// Each server is the test's own (the shared one is never reconfigured): RedisServer always starts
// with --save "" (no RDB snapshots); appendonly is what each test gives.

describe('a Redis server that keeps nothing on disk (save "" and appendonly no)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start(['--appendonly', 'no']);
  });
  afterAll(() => server?.destroy());

  it('is warned about once at open, naming the store, the server and its settings; the store works', async () => {
    const logger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'volatile', logger });
    const second = recordingLogger();
    const other = new RedisJobStore({ url: server.url, namespace: 'other', logger: second });
    try {
      await store.open();
      expect(logger.at('warn')).toHaveLength(1);
      const [warning] = logger.at('warn');
      expect(warning?.message).toBe(
        `store "redis:volatile": the Redis server at 127.0.0.1:${server.port} keeps nothing on disk (save "" and appendonly no): ` +
          'when it restarts, every job in it is gone. Turn on the append-only file (appendonly yes) or RDB snapshots (save), or use a Redis that persists',
      );
      expect(warning?.fields).toStrictEqual({ store: 'redis:volatile', namespace: 'volatile', server: `127.0.0.1:${server.port}`, save: '', appendonly: 'no' });
      expect(logger.at('error')).toStrictEqual([]);
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      expect(await store.lookupJob('a')).toMatchObject({ id: 'a' });
      // Once per server in a process, not once per store.
      await other.open();
      expect(second.lines.filter((line) => line.level !== 'debug')).toStrictEqual([]);
    } finally {
      await store.close();
      await other.close();
    }
  });
});

describe('a Redis server with the append-only file on', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start(['--appendonly', 'yes']);
  });
  afterAll(() => server?.destroy());

  it('is not warned about', async () => {
    const logger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'kept', logger });
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      expect(logger.lines).toStrictEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('a Redis server that refuses CONFIG (as managed Redis often does)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start(['--appendonly', 'no', '--rename-command', 'CONFIG', '']);
  });
  afterAll(() => server?.destroy());

  it('opens all the same, with one debug line saying persistence was not checked, and no warning', async () => {
    const logger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'managed', logger });
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      expect(await store.lookupJob('a')).toMatchObject({ id: 'a' });
      expect(logger.lines.map((line) => line.level)).toStrictEqual(['debug']);
      expect(logger.lines[0]?.message).toMatch(
        new RegExp(
          `^store "redis:managed": could not ask the Redis server at 127\\.0\\.0\\.1:${server.port} whether it keeps data on disk \\(CONFIG GET: ERR unknown command .*\\); not checked$`,
          'i',
        ),
      );
    } finally {
      await store.close();
    }
  });
});
