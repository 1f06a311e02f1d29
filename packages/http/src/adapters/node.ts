import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorJson } from '../errors-json.js';
import { SERVE_CHECKED, type JobstoreHandler } from '../handler.js';
import { hasDotSegment, requestTarget } from './request-target.js';

export { hasDotSegment } from './request-target.js';

/** A Node listener: `(req, res, next?)`; with `next`, requests outside the prefix go on to it. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

class TooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Whether a Node request carries a body: a length above 0, or chunks. */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return Number(req.headers['content-length'] ?? 0) > 0;
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * The Web Request for a Node request, or null when its target or Host cannot be a URL. `body`,
 * when given, is the body a framework already read (Express's body parsers, Fastify's content
 * parsers); otherwise it is read from the stream. A request without a body gets none, so the
 * handler can tell an empty POST from one with content.
 */
export async function toRequest(req: IncomingMessage, signal: AbortSignal, limit: number, body?: Buffer | string): Promise<Request> {
  const url = requestTarget(req);
  if (url === null) throw new BadTargetError();
  const method = req.method ?? 'GET';
  const init: RequestInit = { method, headers: webHeaders(req), signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const content = body ?? (hasBody(req) ? await readBody(req, limit) : undefined);
    if (content !== undefined && content.length > 0) init.body = content;
  }
  return new Request(url, init);
}

class BadTargetError extends Error {}

/** Milliseconds a client may take none of an answer while more waits, when the caller does not say. */
const DEFAULT_STALL_MS = 30_000;

/**
 * Waits until a response can take more, or is gone; a client that takes nothing for `stallMs` is
 * disconnected. Else a client that never reads would hold its socket, and the bytes queued for
 * it, for as long as it likes.
 */
function drained(res: ServerResponse, stallMs: number, event: 'drain' | 'finish' = 'drain'): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.destroy();
      done();
    }, stallMs);
    function done(): void {
      clearTimeout(timer);
      res.off(event, done);
      res.off('close', done);
      resolve();
    }
    res.once(event, done);
    res.once('close', done);
  });
}

/**
 * Writes a Web Response to a Node response, streaming its body (server-sent events included).
 * It reads the body only as fast as the client takes it: a client that stops reading leaves the
 * bytes in the body's own bounded queue, not in an ever-growing socket buffer.
 */
export async function sendResponse(response: Response, res: ServerResponse, stallMs = DEFAULT_STALL_MS): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res, stallMs);
    }
  } catch {
    // The body's source failed or was cancelled because the client left: end what was sent.
  }
  if (res.destroyed) return;
  res.end();
  // What end() could not hand to the socket still needs the client to read it.
  if (!res.writableFinished) await drained(res, stallMs, 'finish');
}

/**
 * The answer to a request refused before its body was read. A declared body within `limit` is
 * then read and thrown away (nothing is kept): closing at once would reset the connection while
 * the client still sends, and a reset can make the client lose the answer. A larger or chunked
 * body closes the connection after the answer rather than be taken in.
 */
async function refuse(response: Response, req: IncomingMessage, res: ServerResponse, limit = 0): Promise<void> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (hasBody(req) && (req.headers['transfer-encoding'] !== undefined || !(length <= limit))) {
    res.shouldKeepAlive = false;
    response.headers.set('connection', 'close');
  }
  req.resume();
  await sendResponse(response, res);
}

/** What a Node request's target and headers alone decide: a refusal (or the dashboard), else null. */
async function earlyAnswer(handler: JobstoreHandler, req: IncomingMessage, signal: AbortSignal): Promise<Response | null> {
  const url = requestTarget(req);
  if (url === null) return errorJson(400, 'invalid request', 'the request target or its Host header is not a valid URL');
  if (hasDotSegment(req.url ?? '/')) {
    return errorJson(
      400,
      'invalid request',
      'the path has a "." or ".." segment (perhaps percent-encoded), which URL parsing resolves into another endpoint; job ids "." and ".." cannot be used in this API',
    );
  }
  return handler.preflight(new Request(url, { method: req.method ?? 'GET', headers: webHeaders(req), signal }));
}

/**
 * Answers a request its headers already decide, before a framework reads its body: true when it
 * answered. `claim` runs first, to take the response from the framework (Fastify's hijack).
 */
export async function refuseEarly(handler: JobstoreHandler, req: IncomingMessage, res: ServerResponse, claim: () => void = () => undefined): Promise<boolean> {
  const early = await earlyAnswer(handler, req, new AbortController().signal);
  if (early === null) return false;
  claim();
  await refuse(early, req, res, handler.maxBodyBytes);
  return true;
}

/** Serves one Node request with the handler: headers are checked (credentials included) before any body is read. */
export async function serveNode(handler: JobstoreHandler, req: IncomingMessage, res: ServerResponse, body?: Buffer | string): Promise<void> {
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  const early = await earlyAnswer(handler, req, aborted.signal);
  if (early !== null) {
    await refuse(early, req, res, handler.maxBodyBytes);
    return;
  }
  let request: Request;
  try {
    request = await toRequest(req, aborted.signal, handler.maxBodyBytes, body);
  } catch (error) {
    const tooLarge = error instanceof TooLargeError;
    await refuse(tooLarge ? errorJson(413, 'too large', `the body is over ${handler.maxBodyBytes} bytes`) : errorJson(400, 'bad request', 'the request could not be read'), req, res);
    return;
  }
  await sendResponse(await handler[SERVE_CHECKED](request), res, handler.clientStallMs);
}

/** Mounts the handler on Node's own `http` server: `http.createServer(toNodeListener(handler))`. */
export function toNodeListener(handler: JobstoreHandler): NodeListener {
  return (req, res, next) => {
    // An unparsable target is the handler's to refuse (400), never an exception in Node's request event.
    const pathname = requestTarget(req, 'path')?.pathname;
    if (next !== undefined && pathname !== undefined && !handler.matches(pathname)) {
      next();
      return;
    }
    serveNode(handler, req, res).catch((error: unknown) => {
      if (next !== undefined) next(error);
      else if (!res.headersSent) res.writeHead(500).end();
      else res.destroy(error as Error);
    });
  };
}
