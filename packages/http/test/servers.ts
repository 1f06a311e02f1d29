import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware, fastifyPlugin, toNodeListener, type JobstoreHandler } from '@jobstore/http';
import express from 'express';
import Fastify from 'fastify';
import { SchedulerNotRunningError, type Scheduler } from '@jobstore/scheduler';

/** A server with the handler mounted by one adapter, beside an app route of its own (`GET /health`). */
export interface Mounted {
  readonly base: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export const ADAPTERS: Record<string, (handler: JobstoreHandler) => Promise<Mounted>> = {
  async 'node:http'(handler) {
    const listener = toNodeListener(handler);
    const server = createServer((req, res) => {
      if (req.url === '/health') res.end('ok');
      else listener(req, res);
    });
    return { base: await listen(server), close: closer(server) };
  },
  async express(handler) {
    const app = express();
    app.get('/health', (_req, res) => void res.send('ok'));
    app.use(expressMiddleware(handler));
    // The app's own body parser, after the middleware, never sees the API's requests.
    app.use(express.json());
    const server = createServer(app);
    return { base: await listen(server), close: closer(server) };
  },
  /** Mounted after an app-wide express.json(): the handler gets the parsed body. */
  async 'express, after express.json()'(handler) {
    const app = express();
    app.use(express.json());
    app.get('/health', (_req, res) => void res.send('ok'));
    app.use(expressMiddleware(handler));
    const server = createServer(app);
    return { base: await listen(server), close: closer(server) };
  },
  async fastify(handler) {
    const app = Fastify();
    app.get('/health', async () => 'ok');
    await app.register(fastifyPlugin(handler) as never);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return {
      base: `http://127.0.0.1:${port}`,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
};

/**
 * Shuts a test's scheduler down, started or not. One never started rejects with
 * SchedulerNotRunningError, as APScheduler's does, after closing its stores: that is expected here.
 */
export async function stopScheduler(scheduler: Scheduler): Promise<void> {
  try {
    await scheduler.shutdown();
  } catch (error) {
    if (!(error instanceof SchedulerNotRunningError)) throw error;
  }
}
