import type { Logger } from '@jobstore/core';
import { Cluster, type Redis } from 'ioredis';
import { addressOf } from './persistence-check.js';
import { LuaScript } from './script-runner.js';

/** How often an open store looks for its marker besides at each reconnect: a FLUSHALL keeps the connection. */
export const LOSS_CHECK_MS = 30_000;

/**
 * KEYS[1]: the marker. ARGV[1]: the value a new marker gets. Returns {1, value} when the marker was
 * missing and has been written, {0, value} when it was there: one step, so of many processes that
 * find it missing, one writes it and reports the loss.
 */
const ENSURE_MARKER = new LuaScript(`
local found = redis.call('GET', KEYS[1])
if found then return {0, found} end
redis.call('SET', KEYS[1], ARGV[1])
return {1, ARGV[1]}
`);

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Notices a namespace emptied behind the store's back. The store writes a marker key in its
 * namespace when it opens it (unless one is there) and looks for it again at each reconnect and
 * every {@link LOSS_CHECK_MS}; removeAllJobs leaves it. A missing marker means the server lost the
 * namespace's keys (restarted without persistence, flushed, keys deleted): that is logged at
 * error level, and the marker written again, so each loss is said once.
 */
export class LossWatch {
  readonly #store: string;
  readonly #namespace: string;
  readonly #key: string;
  #client: Redis | Cluster | undefined;
  #logger: Logger | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #checking = false;
  /** A reconnect came while a check was in flight: check once more after it. */
  #again = false;
  /** When the marker was last seen, and its value (the time it was written). */
  #seen = { at: '', written: '' };
  readonly #onReady = (): void => void this.check();

  constructor(store: string, namespace: string, key: string) {
    this.#store = store;
    this.#namespace = namespace;
    this.#key = key;
  }

  /** Writes the marker if there is none (a new namespace, or one from a release without markers) and starts watching. */
  async start(client: Redis | Cluster, logger: Logger): Promise<void> {
    const [, written] = await ENSURE_MARKER.run<[number, string]>(client, [this.#key], [new Date().toISOString()]);
    this.#seen = { at: new Date().toISOString(), written };
    this.#client = client;
    this.#logger = logger;
    client.on('ready', this.#onReady);
    this.#timer = setInterval(this.#onReady, LOSS_CHECK_MS);
    this.#timer.unref?.();
  }

  stop(): void {
    this.#client?.off('ready', this.#onReady);
    this.#client = undefined;
    clearInterval(this.#timer);
  }

  /** Looks for the marker now; reports and rewrites it when it is gone. */
  async check(): Promise<void> {
    const client = this.#client;
    const logger = this.#logger;
    if (client === undefined || logger === undefined) return;
    if (this.#checking) {
      this.#again = true;
      return;
    }
    this.#checking = true;
    const fields = { store: this.#store, namespace: this.#namespace, key: this.#key, ...(client instanceof Cluster ? {} : { server: addressOf(client) }) };
    try {
      const now = new Date().toISOString();
      const [created, written] = await ENSURE_MARKER.run<[number, string]>(client, [this.#key], [now]);
      if (created === 1 && this.#client !== undefined) {
        logger.error(
          `store ${JSON.stringify(this.#store)}: the jobs of namespace ${JSON.stringify(this.#namespace)} are gone from Redis: ` +
            `its marker key ${this.#key}, last seen at ${this.#seen.at}, is missing. The server restarted without persistence, ` +
            'was flushed (FLUSHALL, FLUSHDB) or had the keys deleted; every job stored before then is lost (jobs added since are kept) ' +
            'and must be added again. The marker is written again, so this is said once per loss',
          { ...fields, lastSeen: this.#seen.at, markerWritten: this.#seen.written },
        );
      }
      this.#seen = { at: now, written };
    } catch (error) {
      if (this.#client !== undefined)
        logger.debug?.(`store ${JSON.stringify(this.#store)}: could not look for marker key ${this.#key} (${reason(error)}); looking again at the next reconnect`, fields);
    } finally {
      this.#checking = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.check();
    }
  }
}
