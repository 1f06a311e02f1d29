import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobstoreHandler } from '../handler.js';
import { refuseEarly, serveNode } from './node.js';

/** The parts of Fastify the plugin uses, so this package does not depend on it. */
export interface FastifyLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, options: { parseAs: 'buffer' }, parser: (request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void): void;
  route(options: {
    method: string[];
    url: string;
    onRequest: (request: { raw: IncomingMessage }, reply: FastifyReplyLike) => Promise<unknown>;
    handler: (request: { raw: IncomingMessage; body?: unknown }, reply: FastifyReplyLike) => Promise<void>;
  }): void;
}

/** The parts of a Fastify reply the plugin uses. */
export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  hijack(): void;
}

/**
 * A Fastify plugin: `await app.register(fastifyPlugin(handler))`. It keeps request bodies raw in
 * its own scope (Fastify's encapsulation leaves the app's parsers alone) and hands the handler the
 * Node request and response.
 */
export function fastifyPlugin(handler: JobstoreHandler): (fastify: FastifyLike) => Promise<void> {
  return async (fastify) => {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // Fastify answers HEAD itself for GET routes.
    const method = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS'];
    // Fastify reads a body before the route's handler runs: the headers are checked first, in onRequest.
    const onRequest = async (request: { raw: IncomingMessage }, reply: FastifyReplyLike): Promise<unknown> => {
      if (!(await refuseEarly(handler, request.raw, reply.raw, () => reply.hijack()))) return undefined;
      return reply;
    };
    const serve = async (request: { raw: IncomingMessage; body?: unknown }, reply: FastifyReplyLike): Promise<void> => {
      reply.hijack();
      await serveNode(handler, request.raw, reply.raw, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    };
    const root = handler.prefix === '' ? '/' : handler.prefix;
    fastify.route({ method, url: root, onRequest, handler: serve });
    fastify.route({ method, url: `${handler.prefix}/*`, onRequest, handler: serve });
  };
}
