import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorJson } from '../errors-json.js';
import type { JobstoreHandler } from '../handler.js';

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

/**
 * The Web Request for a Node request. `body`, when given, is the body a framework already read
 * (Express's body parsers, Fastify's content parsers); otherwise it is read from the stream.
 */
export async function toRequest(req: IncomingMessage, signal: AbortSignal, limit: number, body?: Buffer | string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const method = req.method ?? 'GET';
  const init: RequestInit = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') init.body = body ?? (await readBody(req, limit));
  return new Request(url, init);
}

/** Writes a Web Response to a Node response, streaming its body (server-sent events included). */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

/** `.` or `..`, also percent-encoded (`%2e`, `.%2E`, …): what URL parsing treats as a dot segment. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Whether the raw request target has a dot segment. URL parsing resolves them (and `\` counts as
 * `/` in http URLs), so `/scheduler/jobs/%2e%2e/pause` would reach `POST /scheduler/pause`: a
 * request meant for a job would act on the scheduler. The Web Request the handler gets carries
 * only the resolved URL; a Node request still has the path as it was sent.
 */
export function hasDotSegment(target: string): boolean {
  const path = target.split(/[?#]/, 1)[0] ?? '';
  return path.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

/** Serves one Node request with the handler. */
export async function serveNode(handler: JobstoreHandler, req: IncomingMessage, res: ServerResponse, body?: Buffer | string): Promise<void> {
  if (hasDotSegment(req.url ?? '/')) {
    // Refused before anything is read or routed: the resolved path would name another endpoint.
    req.resume();
    await sendResponse(errorJson(400, 'invalid request', 'the path has a "." or ".." segment (perhaps percent-encoded), which URL parsing resolves into another endpoint; job ids "." and ".." cannot be used in this API'), res);
    return;
  }
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  let request: Request;
  try {
    request = await toRequest(req, aborted.signal, handler.maxBodyBytes, body);
  } catch (error) {
    const tooLarge = error instanceof TooLargeError;
    await sendResponse(tooLarge ? errorJson(413, 'too large', `the body is over ${handler.maxBodyBytes} bytes`) : errorJson(400, 'bad request', 'the request could not be read'), res);
    return;
  }
  await sendResponse(await handler(request), res);
}

/** Mounts the handler on Node's own `http` server: `http.createServer(toNodeListener(handler))`. */
export function toNodeListener(handler: JobstoreHandler): NodeListener {
  return (req, res, next) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (next !== undefined && !handler.matches(pathname)) {
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
