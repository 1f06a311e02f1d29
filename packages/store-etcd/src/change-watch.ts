import type { DriverEvent, Logger } from '@jobstore/core';
import type { Etcd3, IEvent, IWatchResponse, Watcher } from 'etcd3';
import { decodeId, decodeMeta, type EtcdKeys } from './layout.js';

/**
 * The notifications of one store: an etcd watch on its rows (`jobs` and `jobs/…`, not the data
 * or the index, so watchers are not sent job data) from the revision the store opened at. Every
 * process's writes arrive, this one's included. etcd3 re-establishes a broken watch stream and
 * resumes after the last revision it saw, so a server restart loses no change while the history
 * is kept (see the README on compaction); a watch the server cancels (history compacted away) is
 * made again from the current revision, and the gap is logged.
 */
export class ChangeWatch {
  readonly #store: string;
  readonly #keys: EtcdKeys;
  #watcher: Watcher | undefined;
  #closed = false;

  constructor(store: string, keys: EtcdKeys) {
    this.#store = store;
    this.#keys = keys;
  }

  /** Starts watching after `revision` (the revision of a read made at open). */
  async start(client: Etcd3, revision: string, deliver: (event: DriverEvent) => void, logger: Logger): Promise<void> {
    const fields = { store: this.#store, prefix: this.#keys.base };
    const watcher = await client
      .watch()
      .inRange({ start: this.#keys.cleared, end: rangeEnd(this.#keys.jobs) })
      .startRevision(String(BigInt(revision) + 1n))
      .create();
    if (this.#closed) {
      await watcher.cancel();
      return;
    }
    this.#watcher = watcher;
    watcher.on('data', (response: IWatchResponse) => {
      for (const event of this.#translate(response.events)) deliver(event);
    });
    watcher.on('disconnected', (error: Error) => logger.debug?.(`store ${JSON.stringify(this.#store)}: etcd watch lost (${error.message}); reconnecting`, fields));
    watcher.on('connected', () => logger.debug?.(`store ${JSON.stringify(this.#store)}: etcd watch re-established`, fields));
    watcher.on('error', (error: Error) => {
      if (this.#closed) return;
      logger.error(
        `store ${JSON.stringify(this.#store)}: etcd cancelled the change watch (${error.message}); watching again from now: changes made meanwhile by other processes are heard only when polled`,
        fields,
      );
      this.#watcher = undefined;
      void watcher.cancel().catch(() => undefined);
      void client
        .get(this.#keys.cleared)
        .exec()
        .then((response) => this.start(client, response.header.revision, deliver, logger))
        .catch((again: unknown) => logger.error(`store ${JSON.stringify(this.#store)}: could not watch etcd again (${again instanceof Error ? again.message : String(again)})`, fields));
    });
  }

  async stop(): Promise<void> {
    this.#closed = true;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    await watcher?.cancel().catch(() => undefined);
  }

  /**
   * One revision's events are one write. A revision that rewrites the `cleared` key is a
   * removeAllJobs: it is told as "cleared", not as a removal per job.
   */
  #translate(events: readonly IEvent[]): DriverEvent[] {
    const clearedAt = new Set(events.filter((event) => event.type === 'Put' && event.kv.key.toString() === this.#keys.cleared).map((event) => event.kv.mod_revision));
    const out: DriverEvent[] = [];
    for (const event of events) {
      const key = event.kv.key.toString();
      if (key === this.#keys.cleared) {
        if (event.type === 'Put') out.push({ type: 'cleared' });
        continue;
      }
      if (clearedAt.has(event.kv.mod_revision) || !key.startsWith(this.#keys.jobs)) continue;
      const jobId = decodeId(key.slice(this.#keys.jobs.length));
      if (event.type === 'Delete') {
        out.push({ type: 'removed', jobId });
        continue;
      }
      const meta = decodeMeta(event.kv.value.toString());
      if (meta !== null && (meta.e === 'added' || meta.e === 'updated' || meta.e === 'released')) out.push({ type: meta.e, jobId, nextRunTime: meta.n });
    }
    return out;
  }
}

/** The first key after every key that starts with `prefix`. */
export function rangeEnd(prefix: string): string {
  const bytes = Buffer.from(prefix);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) + 1;
  return bytes.toString();
}
