import type { IncomingMessage } from 'node:http';

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

/**
 * The target's path and query as a URL on a placeholder origin, or null when it is no URL. An
 * origin-form target is a path even when it starts with `//` (not a host, as in a relative URL).
 */
export function targetPath(target: string): URL | null {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target, 'http://localhost');
  } catch {
    return null;
  }
}

/**
 * The URL a Node request names, or null when it names none. Node hands over the target as sent:
 * `http://[`, `//[` or a port of 99999 make `new URL` throw, and a throw in the request event
 * would end the process. An absolute-form target (`GET http://host/path`) counts by its path and
 * query, and the origin is the Host header's; `'path'` ignores the Host header.
 */
export function requestTarget(req: IncomingMessage, only?: 'path'): URL | null {
  const sent = targetPath(req.url ?? '/');
  if (sent === null || only === 'path') return sent;
  try {
    const host = req.headers.host;
    // One authority, nothing else: a Host with a path, userinfo or spaces is not a host.
    if (host !== undefined && !/^[A-Za-z0-9.\-_~!$&'()*+,;=%]*(?::\d*)?$|^\[[0-9A-Fa-f:.]+\](?::\d*)?$/.test(host)) return null;
    return new URL(`${sent.pathname}${sent.search}`, `http://${host === undefined || host === '' ? 'localhost' : host}`);
  } catch {
    return null;
  }
}
