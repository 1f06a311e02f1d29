import { RedisServer } from '@jobstore/conformance';
import { RedisJobStore } from '@jobstore/store-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLogger, type LogLine } from './support/recording-logger.js';

const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

/** Slow things (a server restarting, a client reconnecting) get 20 s, checked every 100 ms. */
const SLOW = { timeout: 20_000, interval: 100 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The loss reports among some loggers' lines. */
function losses(...loggers: { at(level: LogLine['level']): LogLine[] }[]): LogLine[] {
  return loggers.flatMap((logger) => logger.at('error')).filter((line) => line.message.includes('are gone from Redis'));
}

// A server of the test's own, keeping nothing on disk, so that a restart empties it.
describe('a store whose namespace is emptied behind its back', () => {
  let server: RedisServer;
  let admin: Redis;
  beforeAll(async () => {
    server = await RedisServer.start(['--appendonly', 'no']);
    admin = new Redis(server.url);
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.destroy();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a server killed and restarted empty: after the reconnect the loss is logged once, naming the store and namespace; again at a second loss', async () => {
    const logger = recordingLogger();
    const peerLogger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'lost', logger });
    // A second process's store on the same namespace: the loss is said once between them.
    const peer = new RedisJobStore({ url: server.url, namespace: 'lost', logger: peerLogger });
    try {
      await peer.open();
      for (let i = 0; i < 10; i++) await store.addJob({ id: `job-${i}`, nextRunTime: at(i), data: { i } });
      expect(losses(logger, peerLogger)).toStrictEqual([]);

      await server.kill();
      await server.start();
      await vi.waitFor(() => expect(losses(logger, peerLogger)).toHaveLength(1), SLOW);
      const [report] = losses(logger, peerLogger);
      expect(report?.message).toMatch(
        /^store "redis:lost": the jobs of namespace "lost" are gone from Redis: its marker key jobstore:\{lost\}:marker, last seen at \S+, is missing\. The server restarted without persistence, was flushed \(FLUSHALL, FLUSHDB\) or had the keys deleted; every job stored before then is lost/,
      );
      expect(report?.fields).toMatchObject({ store: 'redis:lost', namespace: 'lost', key: 'jobstore:{lost}:marker', server: `127.0.0.1:${server.port}` });
      expect(await vi.waitFor(() => store.getAllJobs(), SLOW)).toStrictEqual([]);

      // Both stores reconnected and looked: nothing more is said about the same loss.
      await store.addJob({ id: 'after', nextRunTime: at(0) });
      await sleep(1000);
      expect(losses(logger, peerLogger)).toHaveLength(1);

      // A second loss is a second report.
      await server.kill();
      await server.start();
      await vi.waitFor(() => expect(losses(logger, peerLogger)).toHaveLength(2), SLOW);
      await sleep(1000);
      expect(losses(logger, peerLogger)).toHaveLength(2);
    } finally {
      await store.close();
      await peer.close();
    }
  }, 60_000);

  it('FLUSHALL with the connection kept: the next periodic look finds the marker gone and logs the loss once', async () => {
    // Only the store's periodic look runs on fake time; the connection and the server are real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const logger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'flushed', logger });
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      await vi.advanceTimersToNextTimerAsync();
      await sleep(200);
      expect(losses(logger)).toStrictEqual([]);

      await admin.flushall();
      await vi.advanceTimersToNextTimerAsync();
      await vi.waitFor(() => expect(losses(logger)).toHaveLength(1), SLOW);
      expect(losses(logger)[0]?.fields).toMatchObject({ store: 'redis:flushed', namespace: 'flushed' });
      expect(await store.lookupJob('a')).toBeNull();

      await vi.advanceTimersToNextTimerAsync();
      await sleep(200);
      expect(losses(logger)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('removeAllJobs, a reconnect and a new namespace are no loss: nothing is logged', async () => {
    const logger = recordingLogger();
    const store = new RedisJobStore({ url: server.url, namespace: 'emptied_on_purpose', logger });
    const fresh = new RedisJobStore({ url: server.url, namespace: 'brand_new', logger });
    try {
      await store.addJob({ id: 'a', nextRunTime: at(0) });
      await store.removeAllJobs();
      // Every client but the admin's is cut off; the stores reconnect and look for their markers.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
      await vi.waitFor(() => store.addJob({ id: 'b', nextRunTime: at(0) }), SLOW);
      await fresh.open();
      await sleep(500);
      expect(logger.at('error')).toStrictEqual([]);
      expect(await store.getAllJobs()).toMatchObject([{ id: 'b' }]);
    } finally {
      await store.close();
      await fresh.close();
    }
  });
});
