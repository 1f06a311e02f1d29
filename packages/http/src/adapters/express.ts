import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobstoreHandler } from '../handler.js';
import { serveNode } from './node.js';
import { targetPath } from './request-target.js';

/** What the middleware reads of an Express request: a Node request, with the body a parser may have read. */
export type ExpressRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/**
 * Express middleware: `app.use(expressMiddleware(handler))`. Requests outside the handler's
 * prefix go on to `next`. Works before or after `express.json()`: a body it already parsed is
 * passed on as it was parsed.
 */
export function expressMiddleware(handler: JobstoreHandler): (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    // Mounted under a path (`app.use('/x', …)`) Express shortens req.url; the prefix is matched on the full URL.
    const url = req.originalUrl ?? req.url ?? '/';
    // A target that is no URL goes to the handler, which answers 400, rather than throwing here.
    const pathname = targetPath(url)?.pathname;
    if (pathname !== undefined && !handler.matches(pathname)) {
      next();
      return;
    }
    req.url = url;
    const parsed = req.readableEnded && req.body !== undefined ? (typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body)) : undefined;
    serveNode(handler, req, res, parsed).catch(next);
  };
}
