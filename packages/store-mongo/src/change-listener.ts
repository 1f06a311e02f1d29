import { randomUUID } from 'node:crypto';
import type { DriverEvent } from '@jobstore/core';
import type { ChangeStream, Collection, Document, ResumeToken, Timestamp } from 'mongodb';
import { eventOf, type StreamChange } from './documents.js';

/** The one document of a jobs collection that is not a job: its object `_id` can never be a job id. */
export const MARKER = { jobstore: 'clear' } as const;

/** A removeAll that never said it was done (its process died) stops hiding removals after this long. */
const CLEARING_MS = 60_000;

/**
 * Subscribers hear every process's changes through a change stream on the jobs collection
 * (replica sets and sharded clusters). The driver resumes the stream after transient errors; after
 * any other error the listener opens it again from the last event it saw.
 *
 * removeAllJobs is one "cleared" event, not one "removed" per job: it marks the marker document
 * `clearing` before deleting and `cleared` after, and removals in between are not told.
 */
export class ChangeListener {
  readonly #jobs: Collection<Document>;
  readonly #deliver: (event: DriverEvent) => void;
  #stream: ChangeStream | undefined;
  #resumeAfter: ResumeToken | undefined;
  #startAt: Timestamp | undefined;
  #clearingUntil = 0;
  #stopped = false;

  constructor(jobs: Collection<Document>, deliver: (event: DriverEvent) => void) {
    this.#jobs = jobs;
    this.#deliver = deliver;
  }

  /** Listens from `operationTime` (the server's time at open), so no change after open is missed. */
  async start(operationTime: unknown): Promise<void> {
    this.#startAt = operationTime as Timestamp | undefined;
    this.#open();
  }

  #open(): void {
    if (this.#stopped) return;
    const options = this.#resumeAfter !== undefined ? { startAfter: this.#resumeAfter } : this.#startAt !== undefined ? { startAtOperationTime: this.#startAt } : {};
    const stream = this.#jobs.watch([{ $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } }], options);
    this.#stream = stream;
    stream.on('change', (change: Document) => {
      this.#resumeAfter = change['_id'] as ResumeToken;
      this.#handle(change as StreamChange & Document);
    });
    stream.on('error', () => {
      void stream.close().catch(() => undefined);
      if (!this.#stopped) setTimeout(() => this.#open(), 1000).unref();
    });
  }

  #handle(change: StreamChange & Document): void {
    const key = change.documentKey?._id;
    if (typeof key === 'object' && key !== null) {
      const mark = change.updateDescription?.updatedFields?.e ?? change.fullDocument?.e;
      const state = Array.isArray(mark) ? mark[0] : undefined;
      if (state === 'clearing') {
        this.#clearingUntil = Date.now() + CLEARING_MS;
        this.#deliver({ type: 'cleared' });
      } else if (state === 'cleared') this.#clearingUntil = 0;
      return;
    }
    const events = eventOf(change);
    for (const event of events) {
      if (event.type === 'removed' && Date.now() < this.#clearingUntil) continue;
      this.#deliver(event);
    }
  }

  /** removeAllJobs: mark, delete, mark again (see the class comment). */
  async clear(remove: () => Promise<unknown>): Promise<void> {
    const mark = (state: 'clearing' | 'cleared'): Promise<unknown> => this.#jobs.updateOne({ _id: MARKER }, { $set: { e: [state, null, randomUUID()] } }, { upsert: true });
    await mark('clearing');
    try {
      await remove();
    } finally {
      await mark('cleared');
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#stream?.close().catch(() => undefined);
  }
}
