import { randomUUID } from 'node:crypto';
import { guardTransient, releaseRefusal } from '@jobstore/core';
import type { DriverEvent, ListPosition, ReleaseOutcome, RowChanges, RowRelease, StoreDriver, StoredJob, WriteOutcome } from '@jobstore/core';
import type { Collection, Db, Document } from 'mongodb';
import { ChangeListener } from './change-listener.js';
import {
  candidatesFilter,
  claimOne,
  DUE_ORDER,
  dueFilter,
  extendWrite,
  fromDocument,
  INDEXES,
  pausedFilter,
  releaseFilter,
  releaseUpdate,
  scheduledFilter,
  toDocument,
  updateWrite,
  type JobDocument,
} from './documents.js';
import { isDuplicateKey, isTransient } from './transient.js';

/** Where the driver's database comes from, and how to let it go. */
export interface MongoConnection {
  db(): Promise<Db>;
  /** Closes the client when the store made it; does nothing for a caller's client or Db. */
  close(): Promise<void>;
}

/** A write whose condition no longer held is retried this many times. */
const MAX_RETRIES = 20;

type Query = Record<string, unknown>;

/**
 * The StoreDriver over one MongoDB collection: one document per job, every write one
 * conditional single-document operation (atomic in MongoDB), claims as conditional updates
 * that at most one racing claim can match.
 */
export class MongoDriver implements StoreDriver {
  readonly name: string;
  readonly #connection: MongoConnection;
  readonly #collectionName: string;
  #jobs: Collection<JobDocument> | undefined;
  #listener: ChangeListener | undefined;
  #deliver: (event: DriverEvent) => void = () => undefined;

  constructor(name: string, connection: MongoConnection, collection: string) {
    this.name = name;
    this.#connection = connection;
    this.#collectionName = collection;
  }

  /** `push` once open found a replica set or sharded cluster (change streams), else `poll`. */
  get notifications(): 'push' | 'poll' {
    return this.#listener === undefined ? 'poll' : 'push';
  }

  open(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#deliver = deliver;
    return this.#guard('open', async () => {
      const db = await this.#connection.db();
      const jobs = db.collection<JobDocument>(this.#collectionName);
      await jobs.createIndexes(INDEXES.map((index) => ({ key: { ...index.key }, name: index.name })));
      const hello = await db.command({ hello: 1 });
      if (typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid') {
        this.#listener = new ChangeListener(jobs as unknown as Collection<Document>, deliver);
        await this.#listener.start(hello['operationTime']);
      }
      this.#jobs = jobs;
    });
  }

  async close(): Promise<void> {
    await this.#listener?.stop();
    await this.#connection.close();
  }

  #guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardTransient(this.name, operation, isTransient, work);
  }

  get #c(): Collection<JobDocument> {
    if (this.#jobs === undefined) throw new Error('the MongoDB store is not open');
    return this.#jobs;
  }

  /** Tells this store's subscribers itself when no change stream does. */
  #tell(event: DriverEvent): void {
    if (this.#listener === undefined) this.#deliver(event);
  }

  async #find(filter: Query, sort: Record<string, 1>, limit: number): Promise<StoredJob[]> {
    const docs = await this.#c
      .find(filter as Document)
      .sort(sort)
      .limit(limit)
      .toArray();
    return docs.map(fromDocument);
  }

  insert(row: StoredJob): Promise<boolean> {
    return this.#guard('addJob', async () => {
      try {
        await this.#c.insertOne(toDocument(row, randomUUID()));
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
      this.#tell({ type: 'added', jobId: row.id, nextRunTime: row.nextRunTime });
      return true;
    });
  }

  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.#guard('updateJob', async () => {
      for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
        const { filter, update } = updateWrite(id, changes, expectedVersion, randomUUID());
        const doc = await this.#c.findOneAndUpdate(filter as Document, update, { returnDocument: 'after' });
        if (doc !== null) {
          const row = fromDocument(doc);
          this.#tell({ type: 'updated', jobId: id, nextRunTime: row.nextRunTime });
          return { status: 'ok', row };
        }
        const current = await this.#c.findOne({ _id: id });
        if (current === null) return { status: 'missing' };
        if (expectedVersion !== undefined && current.v !== expectedVersion) return { status: 'conflict', version: fromDocument(current).version };
      }
      throw new Error(`updateJob: job ${JSON.stringify(id)} kept changing under ${MAX_RETRIES} attempts`);
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#guard('removeJob', async () => {
      const { deletedCount } = await this.#c.deleteOne({ _id: id });
      if (deletedCount > 0) this.#tell({ type: 'removed', jobId: id });
      return deletedCount > 0;
    });
  }

  removeAll(): Promise<void> {
    return this.#guard('removeAllJobs', async () => {
      if (this.#listener !== undefined) {
        await this.#listener.clear(() => this.#c.deleteMany({ _id: { $type: 'string' } }));
      } else {
        await this.#c.deleteMany({ _id: { $type: 'string' } });
        this.#tell({ type: 'cleared' });
      }
    });
  }

  get(id: string): Promise<StoredJob | null> {
    return this.#guard('lookupJob', async () => {
      const doc = await this.#c.findOne({ _id: id });
      return doc === null ? null : fromDocument(doc);
    });
  }

  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('listJobs', async () => {
      const scheduled = after === null || after.nextRunTime !== null ? await this.#find(scheduledFilter(after), DUE_ORDER, limit) : [];
      if (scheduled.length >= limit) return scheduled;
      const paused = await this.#find(pausedFilter(after), { _id: 1 }, limit - scheduled.length);
      return [...scheduled, ...paused];
    });
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('getDueJobs', () => this.#find(dueFilter(now, after), DUE_ORDER, limit));
  }

  nextRunTime(): Promise<number | null> {
    return this.#guard('getNextRunTime', async () => {
      const doc = await this.#c
        .find({ w: { $ne: null } })
        .sort({ w: 1 })
        .limit(1)
        .project<{ w: number }>({ w: 1 })
        .next();
      return doc?.w ?? null;
    });
  }

  /**
   * Finds candidates in due order, then claims each with a conditional update, side by side:
   * a job another claim took meanwhile no longer matches and is passed by. Repeats until
   * `limit` jobs are claimed or none is left.
   */
  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.#guard('acquireDueJobs', async () => {
      const token = randomUUID();
      const claimed: StoredJob[] = [];
      // Each round either claims or finds fewer candidates, unless other claims keep winning: bounded all the same.
      for (let round = 0; round < MAX_RETRIES && claimed.length < limit; round++) {
        const candidates = await this.#c
          .find(candidatesFilter(owner, now, token) as Document)
          .sort(DUE_ORDER)
          .limit(limit - claimed.length)
          .project<{ _id: string }>({ _id: 1 })
          .toArray();
        if (candidates.length === 0) break;
        const won = candidates.length === 1 ? await this.#claimEach(candidates, owner, now, leaseUntil, token) : await this.#claimBatch(candidates, owner, now, leaseUntil, token);
        claimed.push(...won);
      }
      return claimed;
    });
  }

  /** One conditional findOneAndUpdate per candidate: returns the jobs as written. */
  async #claimEach(candidates: readonly { _id: string }[], owner: string, now: number, leaseUntil: number, token: string): Promise<StoredJob[]> {
    const won = await Promise.all(
      candidates.map(async ({ _id }) => {
        const { filter, update } = claimOne(_id, owner, now, leaseUntil, token, randomUUID());
        const doc = await this.#c.findOneAndUpdate(filter as Document, update, { returnDocument: 'after' });
        return doc === null ? null : fromDocument(doc);
      }),
    );
    return won.filter((row): row is StoredJob => row !== null);
  }

  /**
   * The same conditional updates in one unordered bulkWrite, then one read of the jobs that
   * carry this call's token: exactly those its updates matched (a job another claim took
   * meanwhile did not match, so keeps the other claim's token).
   */
  async #claimBatch(candidates: readonly { _id: string }[], owner: string, now: number, leaseUntil: number, token: string): Promise<StoredJob[]> {
    const nonce = randomUUID();
    await this.#c.bulkWrite(
      candidates.map(({ _id }) => {
        const { filter, update } = claimOne(_id, owner, now, leaseUntil, token, nonce);
        return { updateOne: { filter: filter as Document, update } };
      }),
      { ordered: false },
    );
    return this.#find({ _id: { $in: candidates.map(({ _id }) => _id) }, t: token, b: owner }, DUE_ORDER, candidates.length);
  }

  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.#guard('releaseJob', async () => {
      for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
        const filter = releaseFilter(id, owner, expectedVersion) as Document;
        if (change === 'remove') {
          if ((await this.#c.deleteOne(filter)).deletedCount > 0) {
            this.#tell({ type: 'removed', jobId: id });
            return { status: 'ok' };
          }
        } else if ((await this.#c.updateOne(filter, releaseUpdate(change, randomUUID()))).matchedCount > 0) {
          this.#tell({ type: 'released', jobId: id, nextRunTime: change.nextRunTime });
          return { status: 'ok' };
        }
        // Nothing matched: say why; if nothing refuses it now, the job changed in between, so try again.
        const current = await this.#c.findOne({ _id: id });
        const refusal = releaseRefusal(current === null ? null : fromDocument(current), owner, expectedVersion);
        if (refusal !== null) return refusal;
      }
      throw new Error(`releaseJob: job ${JSON.stringify(id)} kept changing under ${MAX_RETRIES} attempts`);
    });
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#guard('extendLeases', async () => {
      const { filter, update } = extendWrite(ids, owner, leaseUntil, randomUUID());
      await this.#c.updateMany(filter as Document, update);
      const held = await this.#c
        .find({ _id: { $in: [...ids] }, b: owner, u: leaseUntil })
        .project<{ _id: string }>({ _id: 1 })
        .toArray();
      return held.map(({ _id }) => _id);
    });
  }
}
