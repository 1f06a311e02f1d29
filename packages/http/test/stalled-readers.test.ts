import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { createJobstoreHandler, toNodeListener } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { describe, expect, it } from 'vitest';
import { sendResponse } from '../src/adapters/node.js';
import { stopScheduler } from './servers.js';

/** A client that asks and then never reads a byte. */
function neverReads(port: number, path: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return socket;
}

describe('a client that stops reading is disconnected, not kept', () => {
  it('an endless body to a client that reads nothing: the connection is closed after the stall time and the body cancelled', async () => {
    let cancelled = false;
    let closedAt = 0;
    const startedAt = Date.now();
    const chunk = new Uint8Array(64 * 1024);
    const server = createServer((_req, res) => {
      res.once('close', () => (closedAt = Date.now()));
      const endless = new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(chunk),
        cancel: () => {
          cancelled = true;
        },
      });
      void sendResponse(new Response(endless), res, 1000);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const client = neverReads((server.address() as AddressInfo).port, '/');
    await expect.poll(() => closedAt, { timeout: 15_000 }).toBeGreaterThan(0);
    client.destroy();
    expect(cancelled).toBe(true);
    // Kernel buffers fill in well under a second on loopback; the stall time is 1 s.
    expect(closedAt - startedAt).toBeLessThan(10_000);
    server.close();
  });

  it('an event stream whose client never reads is dropped by the hub and its connection freed (clientStallSeconds)', async () => {
    const scheduler = new Scheduler({ jobstores: { default: new MemoryJobStore() }, timezone: 'UTC' });
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    const handler = createJobstoreHandler(scheduler, { auth: false, clientStallSeconds: 1, eventStreamBufferBytes: 64 * 1024 });
    const server = createServer(toNodeListener(handler));
    const connections = new Set<unknown>();
    server.on('connection', (socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const client = neverReads((server.address() as AddressInfo).port, '/scheduler/events');
    await expect.poll(() => connections.size).toBe(1);
    // Long ids make big events; many of them: far more than the socket buffers and the stream's own bound hold.
    const pad = 'x'.repeat(480);
    for (let i = 0; i < 30_000 && connections.size > 0; i++) {
      await scheduler.addJob({ id: `${i}-${pad}`, func: 'noop', trigger: 'interval', hours: 1 });
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await expect.poll(() => connections.size, { timeout: 15_000 }).toBe(0);
    client.destroy();
    server.close();
    await stopScheduler(scheduler);
  }, 30_000);
});
