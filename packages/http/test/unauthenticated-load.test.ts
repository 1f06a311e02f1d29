import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './raw-http.js';
import { serveChild, type Served } from './served.js';

const MIB = 1024 * 1024;

/** A client that sends a POST's headers and `bodyBytes` of its declared 1 MiB body, then stalls; `answer` is what came back, once a status line has or the connection closed. */
function stalledUpload(port: number, bodyBytes: number, authorization = ''): Promise<{ socket: Socket; answer: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const answer = new Promise<string>((done) => {
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (/^HTTP\/1\.1 \d{3} .*\r\n/.test(text)) done(text);
      });
      socket.on('close', () => done(text));
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(`POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${MIB}\r\n${authorization}\r\n`);
      socket.write(Buffer.alloc(bodyBytes, 0x20));
      resolve({ socket, answer });
    });
  });
}

describe('credentials are checked before a body is read', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveChild();
  });
  afterAll(() => served.stop());

  it('a POST declaring 1 MiB without credentials gets 401 from its headers alone', async () => {
    const answer = await rawRequest(served.port, `POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${MIB}\r\n\r\n`, 3000);
    expect(answer.status).toBe(401);
  });

  it('a declared body past the limit, or chunked, closes the connection after the refusal rather than be read', async () => {
    const over = await rawRequest(served.port, `POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${64 * MIB}\r\n\r\n`, 5000);
    expect([over.status, over.closed]).toStrictEqual([401, true]);
    const chunked = await rawRequest(served.port, `POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, 5000);
    expect([chunked.status, chunked.closed]).toStrictEqual([401, true]);
  });

  it('the rest of a refused body within the limit is read and thrown away: the answer is not lost to a reset, and the connection serves again', async () => {
    const socket = connect(served.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${MIB}\r\n\r\n`);
    await expect.poll(() => text).toMatch(/^HTTP\/1\.1 401/);
    socket.write(Buffer.alloc(MIB, 0x20));
    socket.write(`GET /scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${served.authorization}\r\n\r\n`);
    await expect.poll(() => text, { timeout: 10_000 }).toMatch(/HTTP\/1\.1 200 OK/);
    socket.destroy();
  });

  it('a declared body over the limit is refused (413) before it is sent', async () => {
    const answer = await rawRequest(
      served.port,
      `POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${served.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${2 * MIB}\r\n\r\n`,
      5000,
    );
    expect(answer.status).toBe(413);
  });

  it('300 unauthenticated clients sending 960 KiB each and stalling leave memory where it was', async () => {
    const before = served.rssMiB();
    const uploads = await Promise.all(Array.from({ length: 300 }, () => stalledUpload(served.port, 960 * 1024)));
    const answers = await Promise.all(uploads.map((upload) => Promise.race([upload.answer, new Promise<string>((resolve) => setTimeout(() => resolve(''), 15_000))])));
    const during = served.rssMiB();
    for (const upload of uploads) upload.socket.destroy();
    expect(answers.filter((text) => /^HTTP\/1\.1 401/.test(text)).length).toBe(300);
    // Before, each body was held until it was complete: +375 MB for 400 clients. Now none is held.
    expect(during - before, `RSS ${before.toFixed(0)} MiB before, ${during.toFixed(0)} MiB with 300 stalled uploads`).toBeLessThan(80);
    const ok = await fetch(served.url, { headers: { authorization: served.authorization } });
    expect(ok.status).toBe(200);
  }, 60_000);
});

describe('slow and many connections are bounded', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveChild({ SCHEDULER_API_HEADERS_TIMEOUT: 1, SCHEDULER_API_REQUEST_TIMEOUT: 2, SCHEDULER_API_MAX_CONNECTIONS: 20 });
  });
  afterAll(() => served.stop());

  it('a client that never finishes its headers is cut off after SCHEDULER_API_HEADERS_TIMEOUT', async () => {
    const answer = await rawRequest(served.port, 'GET /scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 10_000);
    expect(answer.closed).toBe(true);
    expect([408, null]).toContain(answer.status);
  });

  it('an authenticated client that stalls in its body is cut off after SCHEDULER_API_REQUEST_TIMEOUT', async () => {
    const upload = await stalledUpload(served.port, 1000, `Authorization: ${served.authorization}\r\n`);
    const text = await Promise.race([upload.answer, new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 10_000))]);
    upload.socket.destroy();
    expect(text).not.toBe('still open');
  });

  it('past SCHEDULER_API_MAX_CONNECTIONS new connections are closed at once, and the API serves again when they go', async () => {
    const idle = await Promise.all(Array.from({ length: 30 }, () => stalledUpload(served.port, 0, `Authorization: ${served.authorization}\r\n`)));
    const closedAtOnce = await Promise.all(idle.map((upload) => Promise.race([upload.answer.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500))])));
    expect(closedAtOnce.filter(Boolean).length).toBeGreaterThanOrEqual(10);
    for (const upload of idle) upload.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ok = await fetch(served.url, { headers: { authorization: served.authorization } });
    expect(ok.status).toBe(200);
  });
});
