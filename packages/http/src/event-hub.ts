import { InvalidArgumentError } from '@jobstore/core';
import type { Scheduler } from '@jobstore/scheduler';
import { errorJson } from './errors-json.js';
import { EventLog } from './event-log.js';
import { encodeComment, encodeEvent, EVENT_STREAM_HEADERS } from './event-stream.js';

/** Streams open at once when the handler's options do not say. */
export const DEFAULT_MAX_EVENT_STREAMS = 100;
/** Bytes queued for one client when the handler's options do not say: 1 MiB. */
export const DEFAULT_EVENT_STREAM_BUFFER_BYTES = 1024 * 1024;
/** How often the streams get a comment, so proxies keep idle ones open. */
const HEARTBEAT_MS = 15_000;
/**
 * Events that come within this many milliseconds go out as one chunk: each write to a socket and
 * each read of a stream costs far more than the bytes (at 120 events a second to 500 clients,
 * one write per event kept both cores busy).
 */
const BATCH_MS = 50;
/** What a refused client is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 10;

const CONNECTED = encodeComment('connected');
const KEEP_ALIVE = encodeComment('keep-alive');

/** Limits of an {@link EventStreamHub}. */
export interface EventStreamLimits {
  /** Most streams open at once; one more is answered 503. Default {@link DEFAULT_MAX_EVENT_STREAMS}. */
  readonly maxStreams?: number | undefined;
  /** Most bytes of events waiting for one client; a client further behind is dropped. Default {@link DEFAULT_EVENT_STREAM_BUFFER_BYTES}. */
  readonly bufferBytes?: number | undefined;
  /** Milliseconds between keep-alive comments; default 15 s. */
  readonly heartbeatMs?: number | undefined;
}

interface Client {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  /** Number of the next chunk of the log this client gets. */
  cursor: number;
  /** Its reader asked for more and was given nothing: the next chunk goes to it at once. */
  waiting: boolean;
  /** Forgets the client: out of the hub, its abort listener removed. Idempotent. */
  readonly detach: () => void;
}

function checkLimit(value: number | undefined, fallback: number, min: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(`jobstore http: ${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The scheduler's events, server-sent to every client of one handler. The hub listens to the
 * scheduler once, and only while a client is connected. Each event is encoded once, into an
 * {@link EventLog} shared by all clients (events within BATCH_MS make one chunk): a client holds
 * only its place in the log, and is handed the next chunk, the same bytes every client gets, when
 * its reader asks for one. The log keeps at most `bufferBytes` (a newest chunk larger than that is
 * still kept, and goes out alone); a client whose place falls out of it is more than
 * `bufferBytes` behind and is dropped: its stream ends with a comment saying why. At most
 * `maxStreams` streams are open; more are answered 503 with Retry-After.
 */
export class EventStreamHub {
  /** Most streams open at once. */
  readonly maxStreams: number;
  /** Most bytes of events waiting for one client. */
  readonly bufferBytes: number;
  readonly #scheduler: Scheduler;
  readonly #heartbeatMs: number;
  readonly #clients = new Set<Client>();
  readonly #log = new EventLog();
  #unsubscribe: (() => void) | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Encoded events waiting for the batch to go out, and its timer. */
  #batch: Uint8Array[] = [];
  #batchTimer: ReturnType<typeof setTimeout> | null = null;
  #encoded = 0;
  #dropped = 0;

  constructor(scheduler: Scheduler, limits: EventStreamLimits = {}) {
    this.#scheduler = scheduler;
    this.maxStreams = checkLimit(limits.maxStreams, DEFAULT_MAX_EVENT_STREAMS, 0, 'maxEventStreams');
    this.bufferBytes = checkLimit(limits.bufferBytes, DEFAULT_EVENT_STREAM_BUFFER_BYTES, 1, 'eventStreamBufferBytes');
    this.#heartbeatMs = checkLimit(limits.heartbeatMs, HEARTBEAT_MS, 1, 'heartbeatMs');
  }

  /** Streams open now. */
  get size(): number {
    return this.#clients.size;
  }

  /** Whether the hub has a listener on the scheduler and a keep-alive timer: only while a stream is open. */
  get listening(): boolean {
    return this.#unsubscribe !== null;
  }

  /** Events encoded so far: one per scheduler event while listening, however many clients. */
  get encodedEvents(): number {
    return this.#encoded;
  }

  /** Clients dropped so far for falling more than `bufferBytes` behind. */
  get droppedStreams(): number {
    return this.#dropped;
  }

  /** Bytes of events kept for clients that have not read them yet (at most `bufferBytes`, or one larger chunk). */
  get bufferedBytes(): number {
    return this.#log.bytes;
  }

  /** A new stream until `signal` aborts or the client falls behind; 503 when `maxStreams` are open. */
  open(signal: AbortSignal): Response {
    if (this.#clients.size >= this.maxStreams) {
      return errorJson(503, 'unavailable', `${this.maxStreams} event streams are open, the most this server takes (maxEventStreams); try again later`, null, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    let client: Client | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = this.#attach(controller, signal);
        },
        pull: () => {
          if (client === undefined) return;
          if (client.cursor < this.#log.head) this.#deliver(client);
          else client.waiting = true;
        },
        // The reader gave up (the adapter saw the connection close).
        cancel: () => client?.detach(),
      },
      // Nothing is queued ahead of the reader: the events wait in the shared log, pull hands them out.
      { highWaterMark: 0 },
    );
    return new Response(body, { headers: EVENT_STREAM_HEADERS });
  }

  #attach(controller: ReadableStreamDefaultController<Uint8Array>, signal: AbortSignal): Client {
    const client: Client = {
      controller,
      cursor: this.#log.head,
      waiting: false,
      detach: () => {
        if (!this.#clients.delete(client)) return;
        signal.removeEventListener('abort', leave);
        if (this.#clients.size === 0) this.#stop();
        else this.#forgetRead();
      },
    };
    const leave = (): void => this.#end(client, null);
    if (signal.aborted) {
      controller.close();
      return client;
    }
    this.#clients.add(client);
    signal.addEventListener('abort', leave, { once: true });
    if (this.#clients.size === 1) this.#start();
    controller.enqueue(CONNECTED);
    return client;
  }

  /** Ends a client's stream, with a last comment when there is someone to read it. */
  #end(client: Client, comment: Uint8Array | null): void {
    client.detach();
    try {
      if (comment !== null) client.controller.enqueue(comment);
      client.controller.close();
    } catch {
      // already closed
    }
  }

  #start(): void {
    this.#unsubscribe = this.#scheduler.addListener((event) => {
      const chunk = encodeEvent(event);
      this.#encoded++;
      this.#publish(chunk);
    });
    this.#heartbeat = setInterval(() => this.#publish(KEEP_ALIVE), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    if (this.#batchTimer !== null) clearTimeout(this.#batchTimer);
    this.#batchTimer = null;
    this.#batch = [];
    this.#log.dropBefore(this.#log.head);
  }

  #publish(chunk: Uint8Array): void {
    this.#batch.push(chunk);
    if (this.#batchTimer !== null) return;
    this.#batchTimer = setTimeout(() => this.#flush(), BATCH_MS);
    this.#batchTimer.unref();
  }

  /** Hands the batch, as one chunk, to every waiting reader, drops the clients it leaves too far behind, and forgets what all have read. */
  #flush(): void {
    this.#batchTimer = null;
    const chunk = concat(this.#batch);
    this.#batch = [];
    this.#log.append(chunk);
    this.#log.trimTo(this.bufferBytes);
    for (const client of this.#clients) {
      if (client.waiting) this.#deliver(client);
      else if (client.cursor < this.#log.base) {
        this.#dropped++;
        this.#end(client, encodeComment(`closed: this client fell more than ${this.bufferBytes} bytes of events behind; reconnect to follow again`));
      }
    }
    this.#forgetRead();
  }

  #deliver(client: Client): void {
    client.waiting = false;
    try {
      client.controller.enqueue(this.#log.at(client.cursor));
      client.cursor++;
    } catch {
      client.detach(); // closed under us: nothing more to send it
    }
  }

  /** Drops the chunks every client has read. */
  #forgetRead(): void {
    let oldest = this.#log.head;
    for (const client of this.#clients) oldest = Math.min(oldest, client.cursor);
    this.#log.dropBefore(oldest);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
