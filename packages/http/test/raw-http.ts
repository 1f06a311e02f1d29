// HTTP as an attacker sends it: raw bytes on a socket, nothing a client library would fix first.
import { connect } from 'node:net';

/** What came back on one connection: the status (null when none came) and everything read. */
export interface RawAnswer {
  readonly status: number | null;
  readonly text: string;
  /** The server closed the connection (it may also have answered first). */
  readonly closed: boolean;
}

/**
 * Sends `bytes` and reads until the server closes or `waitMs` passes; the first status line read
 * is the answer. `endAfterSend` half-closes, as a client that has nothing more to say.
 */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 3000, endAfterSend = false): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match === null ? null : Number(match[1]), text, closed });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('connect', () => {
      socket.write(bytes);
      if (endAfterSend) socket.end();
    });
  });
}

/** A small seeded generator, so a failing fuzz case can be run again. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
