import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '@jobstore/core';
import { errorJson } from './errors-json.js';

/**
 * Who may call the API. There is no default: pass credentials, your own check, or `false` to
 * turn authentication off on purpose (behind a proxy that does it, say).
 */
export type AuthOption =
  | { readonly basic: { readonly username: string; readonly password: string } }
  | { readonly bearer: string | readonly string[] }
  | { readonly check: (request: Request) => boolean | Promise<boolean> }
  | false;

/** Decides whether a request may pass; answers 401 itself when not. */
export type Authenticator = (request: Request) => Promise<boolean>;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal strings, in time that does not depend on where they differ (both are hashed to one length first). */
function same(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function authenticator(auth: AuthOption | undefined): Authenticator | null {
  if (auth === false) return null;
  if (typeof auth !== 'object' || auth === null) {
    throw new InvalidArgumentError('jobstore http: auth is required: { basic: { username, password } }, { bearer: token }, { check(request) }, or false to turn it off');
  }
  if ('basic' in auth) {
    const { username, password } = auth.basic;
    if (typeof username !== 'string' || username === '' || username.includes(':') || typeof password !== 'string' || password === '') {
      throw new InvalidArgumentError('jobstore http: basic auth needs a username (without ":") and a non-empty password');
    }
    const expected = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    return async (request) => same(request.headers.get('authorization') ?? '', expected);
  }
  if ('bearer' in auth) {
    const tokens = typeof auth.bearer === 'string' ? [auth.bearer] : [...auth.bearer];
    if (tokens.length === 0 || tokens.some((token) => typeof token !== 'string' || token.length < 16)) {
      throw new InvalidArgumentError('jobstore http: bearer tokens must be strings of at least 16 characters');
    }
    return async (request) => {
      const header = request.headers.get('authorization') ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      // Every token is compared, so the time taken does not tell which one nearly matched.
      return tokens.map((token) => same(given, token)).includes(true);
    };
  }
  if ('check' in auth && typeof auth.check === 'function') {
    const { check } = auth;
    return async (request) => (await check(request)) === true;
  }
  throw new InvalidArgumentError('jobstore http: auth must be { basic }, { bearer }, { check } or false');
}

/** The 401 answer; a Basic challenge lets browsers ask for credentials. */
export function unauthorized(auth: AuthOption): Response {
  const challenge = auth !== false && 'basic' in auth ? 'Basic realm="jobstore", charset="UTF-8"' : 'Bearer realm="jobstore"';
  return errorJson(401, 'unauthorized', 'missing or wrong credentials', null, { 'www-authenticate': challenge });
}
