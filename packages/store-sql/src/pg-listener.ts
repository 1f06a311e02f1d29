import { parseChangeMessage, type DriverEvent } from '@jobstore/core';

/** What LISTEN delivers. */
interface Notification {
  readonly channel: string;
  readonly payload?: string | undefined;
}

/**
 * The part of pg's Client the listener uses. Structural, so that the published declarations
 * do not import 'pg': users of the other dialects have neither pg nor @types/pg.
 */
export interface ListenClient {
  on(event: 'error' | 'end', listener: () => void): unknown;
  on(event: 'notification', listener: (message: Notification) => void): unknown;
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<unknown>;
}

/**
 * One dedicated connection that LISTENs on a table's channel. When the connection drops it
 * reconnects by itself, backing off from 100 ms to 5 s, until closed.
 */
export class PgListener {
  readonly #connect: () => ListenClient;
  #client: ListenClient | undefined;
  #channel = '';
  #deliver: (event: DriverEvent) => void = () => undefined;
  #retry: NodeJS.Timeout | undefined;
  #backoff = 100;
  #closed = false;

  /** `connect` makes a new, unconnected client each time it is called. */
  constructor(connect: () => ListenClient) {
    this.#connect = connect;
  }

  /** Connects and listens; rejects if the first connection fails (the store's next call tries again). */
  async listen(channel: string, deliver: (event: DriverEvent) => void): Promise<void> {
    this.#channel = channel;
    this.#deliver = deliver;
    await this.#open();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #open(): Promise<void> {
    const client = this.#connect();
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => this.#receive(message));
    try {
      await client.connect();
      // The channel is built from a validated namespace: letters, digits and underscores.
      await client.query(`LISTEN "${this.#channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#backoff = 100;
  }

  /** Changes made while the connection was down are not replayed: schedulers also poll, rarely. */
  #lost(client: ListenClient): void {
    if (client !== this.#client || this.#closed) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#schedule();
  }

  #schedule(): void {
    this.#retry = setTimeout(() => {
      this.#open().catch(() => {
        this.#backoff = Math.min(this.#backoff * 2, 5000);
        if (!this.#closed) this.#schedule();
      });
    }, this.#backoff);
    this.#retry.unref();
  }

  #receive(message: Notification): void {
    if (message.channel !== this.#channel || message.payload === undefined) return;
    for (const event of parseChangeMessage(message.payload)) this.#deliver(event);
  }
}
