import { connect, type Socket } from 'node:net';
import { InvalidArgumentError } from '@jobstore/core';
import { createJobstoreHandler } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventStreamHub } from '../src/event-hub.js';
import { ADAPTERS, stopScheduler, type Mounted } from './servers.js';

const TOKEN = 'event-stream-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Generous: a loaded CI machine must not fail a test by being slow. */
const WAIT_MS = 20_000;

/** Everything a stream's reader gets: the chunks as they came (to compare by identity) and the text. */
interface Collected {
  readonly chunks: Uint8Array[];
  text(): string;
  /** Resolves when the stream ends (rejects if it errors). */
  readonly ended: Promise<void>;
  cancel(): Promise<void>;
}

function collect(response: Response): Collected {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let text = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      chunks.push(value);
      text += decoder.decode(value, { stream: true });
    }
  })();
  ended.catch(() => undefined);
  return { chunks, text: () => text, ended, cancel: () => reader.cancel() };
}

const count = (text: string, type: string): number => text.split(`event: ${type}\n`).length - 1;

async function newScheduler(): Promise<Scheduler> {
  const scheduler = new Scheduler({ timezone: 'UTC', jobstores: { default: new MemoryJobStore() } });
  scheduler.registerTask('tasks:noop', () => undefined);
  await scheduler.start();
  return scheduler;
}

/** A job far in the future: adding it is one job_added event, nothing runs. */
const addIdle = (scheduler: Scheduler, id: string): Promise<unknown> => scheduler.addJob({ id, func: 'tasks:noop', trigger: 'date', runDate: new Date('2099-01-01T00:00:00Z') });

describe('the event hub', () => {
  let scheduler: Scheduler;
  beforeAll(async () => {
    scheduler = await newScheduler();
  });
  afterAll(async () => {
    await stopScheduler(scheduler);
  });
  afterEach(async () => {
    await scheduler.removeAllJobs();
  });

  it('encodes each event once, however many clients, and hands every client the same bytes', async () => {
    const hub = new EventStreamHub(scheduler);
    const leave = new AbortController();
    const clients = Array.from({ length: 5 }, () => collect(hub.open(leave.signal)));
    for (const id of ['a', 'b', 'c']) await addIdle(scheduler, id);
    await vi.waitFor(() => expect(clients.map((client) => count(client.text(), 'job_added'))).toStrictEqual([3, 3, 3, 3, 3]), { timeout: WAIT_MS, interval: 10 });
    expect(hub.encodedEvents).toBe(3);
    const [first, ...others] = clients.map((client) => client.chunks);
    for (const chunks of others) {
      expect(chunks).toHaveLength(first!.length);
      // The very same Uint8Array objects: encoded once, shared, never copied per client.
      chunks.forEach((chunk, i) => {
        expect(chunk).toBe(first![i]);
      });
    }
    expect(clients[0]!.text()).toMatch(/^: connected\n\nevent: job_added\ndata: \{"type":"job_added","code":512,"jobId":"a","jobstore":"default"\}\n\n/);
    leave.abort();
  });

  it('drops a client that stops reading once it is more than its buffer behind; the others get every event', async () => {
    const hub = new EventStreamHub(scheduler, { bufferBytes: 4096 });
    const leave = new AbortController();
    const stalled = hub.open(leave.signal); // never read until the end
    const reading = collect(hub.open(leave.signal));
    // ids of 400 characters: each job_added is about 470 bytes, and each is read before the next is added.
    for (let i = 0; i < 20; i++) {
      await addIdle(scheduler, `${i}`.padStart(400, '-'));
      await vi.waitFor(() => expect(count(reading.text(), 'job_added')).toBe(i + 1), { timeout: WAIT_MS, interval: 10 });
    }
    expect(hub.droppedStreams).toBe(1);
    expect(hub.size).toBe(1);
    expect(hub.bufferedBytes).toBeLessThanOrEqual(4096);
    const late = collect(stalled);
    await late.ended;
    expect(late.text()).toBe(': connected\n\n: closed: this client fell more than 4096 bytes of events behind; reconnect to follow again\n\n');
    leave.abort();
  });

  it('stops listening when the last client leaves, however it left: no listener, no timer, nothing kept', async () => {
    const hub = new EventStreamHub(scheduler, { bufferBytes: 1024, heartbeatMs: 5 });
    expect(hub.listening).toBe(false);
    const aborts = new AbortController();
    const byAbort = collect(hub.open(aborts.signal));
    const byCancel = collect(hub.open(new AbortController().signal));
    const stalled = hub.open(new AbortController().signal);
    expect([hub.size, hub.listening]).toStrictEqual([3, true]);
    // The keep-alive timer (every 5 ms here) reaches the readers.
    await vi.waitFor(() => expect(byCancel.text()).toContain(': keep-alive\n\n'), { timeout: WAIT_MS, interval: 10 });
    // The stalled client falls behind on keep-alives and events alone, and is dropped.
    for (let i = 0; hub.droppedStreams === 0 && i < 200; i++) await addIdle(scheduler, `k${i}`.padStart(300, '-'));
    await vi.waitFor(() => expect(hub.droppedStreams).toBe(1), { timeout: WAIT_MS, interval: 10 });
    await byCancel.cancel();
    expect(hub.size).toBe(1);
    aborts.abort();
    await byAbort.ended;
    expect([hub.size, hub.listening, hub.bufferedBytes]).toStrictEqual([0, false, 0]);
    void stalled;

    // Nothing of the hub listens any more: events now are never encoded.
    const encoded = hub.encodedEvents;
    await addIdle(scheduler, 'after-everyone-left');
    expect(hub.encodedEvents).toBe(encoded);
    // A new client subscribes it again.
    const again = new AbortController();
    const next = collect(hub.open(again.signal));
    await addIdle(scheduler, 'with-a-new-client');
    await vi.waitFor(() => expect(next.text()).toContain('"jobId":"with-a-new-client"'), { timeout: WAIT_MS, interval: 10 });
    expect(hub.encodedEvents).toBe(encoded + 1);
    again.abort();
    expect(hub.listening).toBe(false);
  });
});

/** A stream read over raw TCP that stops reading after the response head, as a stalled client does. */
interface Stalled {
  readonly head: string;
  /** Reads on until the chunked body ends (rejects after WAIT_MS); the text after the head. */
  readToEnd(): Promise<string>;
  readonly socket: Socket;
}

function openStalled(base: string): Promise<Stalled> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`GET /scheduler/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`));
    let received = '';
    const first = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      socket.off('data', first);
      socket.pause(); // from here on the server's writes back up
      resolve({
        head: received.slice(0, received.indexOf('\r\n\r\n')),
        socket,
        readToEnd: () =>
          new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`the stream did not end within ${WAIT_MS} ms`)), WAIT_MS);
            const more = (data: Buffer): void => {
              received += data.toString('latin1');
              if (!received.endsWith('\r\n0\r\n\r\n')) return;
              clearTimeout(timer);
              socket.off('data', more);
              done(received.slice(received.indexOf('\r\n\r\n') + 4));
            };
            socket.on('data', more);
            socket.resume();
          }),
      });
    };
    socket.on('data', first);
  });
}

describe('GET /scheduler/events limits, over HTTP', () => {
  for (const [adapter, mount] of Object.entries(ADAPTERS)) {
    it(`through ${adapter}: a stream over maxEventStreams is answered 503 in the API's error shape, with Retry-After; a stream that ends frees its place`, async () => {
      const scheduler = await newScheduler();
      const server = await mount(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN }, maxEventStreams: 2 }));
      const open: AbortController[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          const leave = new AbortController();
          open.push(leave);
          const response = await fetch(`${server.base}/scheduler/events`, { headers: AUTH, signal: leave.signal });
          expect(response.status).toBe(200);
          const stream = collect(response);
          await vi.waitFor(() => expect(stream.text()).toContain(': connected'), { timeout: WAIT_MS, interval: 10 });
        }
        const refused = await fetch(`${server.base}/scheduler/events`, { headers: AUTH });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('10');
        expect(await refused.json()).toStrictEqual({
          error: 'unavailable',
          field: null,
          reason: '2 event streams are open, the most this server takes (maxEventStreams); try again later',
          error_message: '2 event streams are open, the most this server takes (maxEventStreams); try again later',
        });
        // The rest of the API still answers.
        expect((await fetch(`${server.base}/scheduler/jobs`, { headers: AUTH })).status).toBe(200);
        open.shift()!.abort();
        await vi.waitFor(
          async () => {
            const leave = new AbortController();
            const response = await fetch(`${server.base}/scheduler/events`, { headers: AUTH, signal: leave.signal });
            leave.abort();
            expect(response.status).toBe(200);
          },
          { timeout: WAIT_MS, interval: 50 },
        );
      } finally {
        for (const leave of open) leave.abort();
        await server.close();
        await stopScheduler(scheduler);
      }
    });
  }

  describe('a client that stops reading (node:http)', () => {
    let scheduler: Scheduler;
    let server: Mounted;
    const big = 'x'.repeat(64 * 1024);
    beforeAll(async () => {
      scheduler = await newScheduler();
      scheduler.registerTask('tasks:fail-big', () => {
        throw new Error(big);
      });
      await scheduler.addJob({ id: 'big', func: 'tasks:fail-big', trigger: 'date', runDate: new Date('2099-01-01T00:00:00Z') });
      server = await ADAPTERS['node:http']!(createJobstoreHandler(scheduler, { auth: { bearer: TOKEN }, maxEventStreams: 2, eventStreamBufferBytes: 16 * 1024 }));
    });
    afterAll(async () => {
      await server.close();
      await stopScheduler(scheduler);
    });

    it('is dropped once its buffer is full, while the other client keeps getting every event', async () => {
      const leave = new AbortController();
      const reader = collect(await fetch(`${server.base}/scheduler/events`, { headers: AUTH, signal: leave.signal }));
      const stalled = await openStalled(server.base);
      expect(stalled.head).toMatch(/^HTTP\/1\.1 200/);
      // Each run fails with a 64 KiB message: a 64 KiB job_error event. Socket buffers take some
      // megabytes first; then the stalled client falls behind and is dropped, which frees its place.
      let runs = 0;
      let dropped = false;
      while (!dropped && runs < 400) {
        await scheduler.runJob('big').catch(() => undefined);
        runs++;
        await vi.waitFor(() => expect(count(reader.text(), 'job_error')).toBe(runs), { timeout: WAIT_MS, interval: 10 });
        const probe = new AbortController();
        const third = await fetch(`${server.base}/scheduler/events`, { headers: AUTH, signal: probe.signal });
        dropped = third.status === 200;
        probe.abort();
      }
      expect(dropped).toBe(true);
      expect(runs).toBeGreaterThan(1);
      // Read at last, the stalled stream ends with the reason; the reader still gets new events.
      const rest = await stalled.readToEnd();
      expect(rest).toContain(': closed: this client fell more than 16384 bytes of events behind; reconnect to follow again\n\n');
      expect(count(rest, 'job_error')).toBeLessThan(runs);
      await addIdle(scheduler, 'after-the-drop');
      await vi.waitFor(() => expect(reader.text()).toContain('"jobId":"after-the-drop"'), { timeout: WAIT_MS, interval: 10 });
      stalled.socket.destroy();
      leave.abort();
    });
  });

  it('refuses limits that are not whole numbers, or too small', async () => {
    const scheduler = new Scheduler();
    expect(() => createJobstoreHandler(scheduler, { auth: false, maxEventStreams: -1 })).toThrow(InvalidArgumentError);
    expect(() => createJobstoreHandler(scheduler, { auth: false, maxEventStreams: 1.5 })).toThrow(/maxEventStreams must be a whole number of at least 0, got 1.5/);
    expect(() => createJobstoreHandler(scheduler, { auth: false, eventStreamBufferBytes: 0 })).toThrow(/eventStreamBufferBytes must be a whole number of at least 1, got 0/);
    expect(() => createJobstoreHandler(scheduler, { auth: false, maxEventStreams: 0, eventStreamBufferBytes: 1 })).not.toThrow();
  });
});
