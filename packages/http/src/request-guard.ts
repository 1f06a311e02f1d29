import { errorJson } from './errors-json.js';

/**
 * Checks a request passes before it reaches credentials or routes, from its method, URL and
 * headers alone: a browser holding Basic credentials, or a page on a name that now resolves to
 * 127.0.0.1, must not be able to act through the user's session.
 */

/** Methods that change nothing; every other method is refused from another site. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host part of a Host header, lower-case, without port or IPv6 brackets; null when absent. */
function hostName(host: string | null): string | null {
  if (host === null || host === '') return null;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

/** Whether a name is one of `hosts`: exact names, or `*.example.com` for any name under it. */
function hostAllowed(name: string, hosts: readonly string[]): boolean {
  return hosts.some((entry) => {
    const pattern = entry.toLowerCase().replace(/^\[|\]$/g, '');
    return pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) : name === pattern;
  });
}

/**
 * 421 for a Host the API does not answer to. A server bound to loopback that answered any Host
 * could be reached by a page on an attacker's name resolved to 127.0.0.1 (DNS rebinding). A
 * request without Host (HTTP/1.0; no browser sends one) passes.
 */
export function hostRefusal(request: Request, hosts: readonly string[] | null): Response | null {
  if (hosts === null) return null;
  const name = hostName(request.headers.get('host'));
  if (name === null || hostAllowed(name, hosts)) return null;
  return errorJson(
    421,
    'misdirected request',
    `this API does not answer to the host ${JSON.stringify(name)}; it answers to ${hosts.join(', ')} (add the name to the handler's hosts, SCHEDULER_API_HOSTS for the service)`,
  );
}

/** `scheme://host[:port]` of an Origin header as the URL standard serializes it; null when it is none (`null`, garbage). */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * 403 for a request that would change something and comes from another site: `Sec-Fetch-Site`
 * other than same-origin or none, or an `Origin` whose host is not the request's own Host.
 * Requests without either (curl, scripts, servers) pass: only browsers send them, and browsers
 * always do on a cross-site POST. `trustedOrigins` (exact `https://admin.example.com`) pass too.
 */
export function crossSiteRefusal(request: Request, trustedOrigins: readonly string[]): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const originHeader = request.headers.get('origin');
  const origin = originHeader === null ? null : originOf(originHeader);
  if (origin !== null && trustedOrigins.includes(origin)) return null;
  const site = request.headers.get('sec-fetch-site');
  const refuse = (why: string): Response => errorJson(403, 'forbidden', `cross-site request refused: ${why}; the API takes changes only from its own pages or from clients that are not browsers`);
  if (site !== null && site !== 'same-origin' && site !== 'none') return refuse(`Sec-Fetch-Site is ${JSON.stringify(site)}`);
  if (originHeader === null) return null;
  if (origin === null) return refuse(`Origin is ${JSON.stringify(originHeader)}`);
  const host = request.headers.get('host');
  if (host === null || new URL(origin).host !== safeHost(host)) return refuse(`Origin ${origin} is not this server (${host ?? 'no Host header'})`);
  return null;
}

/** A Host header as URL parsing writes it (default port dropped); the header itself when it is no host. */
function safeHost(host: string): string {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return host;
  }
}

/** Whether a request carries a body, from its headers (a Node request checked before reading) or its stream. */
function carriesBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  if (request.headers.has('transfer-encoding')) return true;
  if (length !== null) return Number(length) > 0;
  return request.body !== null;
}

/**
 * 415 for a body that is not JSON. A form can post `text/plain` (or urlencoded, multipart) to
 * another site without asking; only a script can set `application/json`, and a script from
 * another origin must ask first (CORS), which this API never grants.
 */
export function contentTypeRefusal(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method) || !carriesBody(request)) return null;
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return null;
  return errorJson(415, 'unsupported media type', `a request body must be JSON sent as Content-Type: application/json${type === '' ? '' : `, not ${type}`}`, null, { accept: 'application/json' });
}

/** Content-Security-Policy of the API's JSON answers: nothing loads, nothing frames them. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The headers every answer carries: never framed (clickjacking), never sniffed into another type. */
export function withSecurityHeaders(response: Response): Response {
  const headers = response.headers;
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', API_POLICY);
  headers.set('x-frame-options', 'DENY');
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'no-referrer');
  return response;
}
