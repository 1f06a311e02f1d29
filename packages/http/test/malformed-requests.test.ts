import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, seeded } from './raw-http.js';
import { serveChild, TOKEN, type Served } from './served.js';

let served: Served;
beforeAll(async () => {
  served = await serveChild();
});
afterAll(() => served.stop());

/** The service still runs and answers an ordinary request. */
async function stillServing(): Promise<void> {
  expect(served.process.child.exitCode).toBeNull();
  const response = await fetch(served.url, { headers: { authorization: served.authorization } });
  expect(response.status).toBe(200);
}

describe('request lines no URL can be made of', () => {
  // Each of these ended the process: `new URL(req.url)` threw in the request event.
  it.each(['http://[/scheduler', '//[', 'http://', 'http://a:99999/', 'http://[::1/scheduler/jobs', '/%zz/../x'])('GET %s is a 400, and the service goes on', async (target) => {
    const answer = await rawRequest(served.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(400);
    await stillServing();
  });

  it.each(['[', 'a/b', 'user@host', 'a b', '[::1', 'host:port'])('a Host header of %j is a 400 before credentials are looked at', async (host) => {
    const answer = await rawRequest(served.port, `GET /scheduler/jobs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(400);
    await stillServing();
  });

  it('an absolute-form target is served by its path', async () => {
    const answer = await rawRequest(served.port, `GET http://127.0.0.1/scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
  });
});

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Pieces of request lines and headers that have broken HTTP servers: brackets, bad escapes, dot segments, controls, sizes. */
const TARGET_PARTS = [
  '/',
  '//',
  '/scheduler',
  '/scheduler/jobs/',
  'x',
  '[',
  ']',
  '[::1]',
  '%',
  '%zz',
  '%00',
  '%2e%2e',
  '..',
  '.',
  '\\',
  'http://',
  'https://a',
  ':99999',
  ':-1',
  '@',
  '?',
  '#',
  '?a=%',
  '*',
  '\u00e9',
  '\ud83d\ude00',
  'a'.repeat(300),
  '%2F',
  ';',
  '~',
];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'get', 'G\u00c9T', 'X'.repeat(40), ''];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', '', 'FOO'];
const HEADER_LINES = [
  'Host: 127.0.0.1',
  'Host: [',
  'Host: ',
  'Host: a:b:c',
  'Host: evil.example',
  'Host: 127.0.0.1\r\nHost: 127.0.0.2',
  `Authorization: Bearer ${TOKEN}`,
  'Authorization: Basic %%%',
  'Authorization: Bearer ',
  'Content-Length: 5',
  'Content-Length: -1',
  'Content-Length: 99999999999999999999',
  'Content-Length: 3\r\nContent-Length: 4',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: chunked, identity',
  'Content-Type: application/json',
  'Content-Type: text/plain',
  'Origin: null',
  'Origin: http://[',
  'Sec-Fetch-Site: cross-site',
  'X-Bad\u0000Name: 1',
  'Bad Header: 1',
  ': empty',
  `X: ${'v'.repeat(20_000)}`,
  'Connection: keep-alive',
];
const BODIES = ['', '{}', '{"func":', 'zz\r\n', '0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', '\u0000\u0001'];

function fuzzRequest(random: () => number): string {
  const target = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random, TARGET_PARTS)).join('');
  const headers = Array.from({ length: Math.floor(random() * 5) }, () => pick(random, HEADER_LINES));
  return `${pick(random, METHODS)} ${target} ${pick(random, VERSIONS)}\r\n${headers.join('\r\n')}${headers.length > 0 ? '\r\n' : ''}Connection: close\r\n\r\n${pick(random, BODIES)}`;
}

describe('a raw-socket fuzz of request lines and headers', () => {
  it('never gets a 5xx, never ends the service, and leaves it serving', async () => {
    const random = seeded(17);
    const failures: string[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const requests = Array.from({ length: 20 }, () => fuzzRequest(random));
      const answers = await Promise.all(requests.map((bytes) => rawRequest(served.port, bytes, 2000, true)));
      answers.forEach((answer, i) => {
        if (answer.status !== null && answer.status >= 500) failures.push(`${answer.status} for ${JSON.stringify(requests[i])}`);
      });
      expect(served.process.child.exitCode, `the service exited during batch ${batch}`).toBeNull();
    }
    expect(failures).toStrictEqual([]);
    expect(served.process.stderr()).not.toMatch(/TypeError|RangeError|uncaught/i);
    await stillServing();
  }, 120_000);
});
