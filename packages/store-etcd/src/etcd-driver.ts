import {
  chunksWithin,
  guardTransient,
  holdsLease,
  isClaimable,
  JobTooLargeError,
  releaseRefusal,
  type DriverEvent,
  type ListPosition,
  type Logger,
  type ReleaseItem,
  type ReleaseOutcome,
  type RowChanges,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';
import type { Etcd3, ICompare, IRangeResponse, IRequestOp, ITxnResponse } from 'etcd3';
import { ChangeWatch, rangeEnd } from './change-watch.js';
import { decodeMeta, encodeId, encodeMeta, idOfIndexKey, indexKey, padTime, toStoredJob, type EtcdKeys, type RowMeta } from './layout.js';
import { isTooLarge, isTransient } from './transient.js';

/** What the driver needs besides its keys. */
export interface EtcdConnection {
  readonly client: Etcd3;
  /** Ends a client of the store's own making (not a caller's). */
  close(): Promise<void>;
}

/** A row as read, with the revision its compare-and-set writes check. */
interface ReadRow {
  readonly id: string;
  readonly meta: RowMeta;
  readonly modRevision: string;
  /** Empty when the read left the data out. */
  readonly data: string;
}

/** etcd's default `--max-txn-ops`: the most operations one transaction may hold. */
const MAX_TXN_OPS = 128;
/** Index keys read per page of a walk in due order. */
const PAGE = 100;
/** A claim reads a page again after losing rows to another scheduler; it gives up (returning what it has) after this many. */
const MAX_ATTEMPTS = 50;

const key = (text: string): Buffer => Buffer.from(text);
const put = (k: string, value: string | Buffer): IRequestOp => ({ request_put: { key: key(k), value: typeof value === 'string' ? Buffer.from(value) : value } });
const del = (k: string): IRequestOp => ({ request_delete_range: { key: key(k) } });
const delPrefix = (prefix: string): IRequestOp => ({ request_delete_range: { key: key(prefix), range_end: key(rangeEnd(prefix)) } });
const sameMod = (k: string, modRevision: string): ICompare => ({ key: key(k), target: 'Mod', result: 'Equal', mod_revision: modRevision });

/**
 * The StoreDriver over etcd v3: a row, its data and its place in the listing order are three
 * keys; every change is one transaction that compares the row's mod revision with the one read
 * (optimistic: a lost race reads again), claims included. Notifications come from a watch.
 */
export class EtcdDriver implements StoreDriver {
  readonly name: string;
  readonly notifications = 'push' as const;
  readonly #keys: EtcdKeys;
  readonly #connection: EtcdConnection;
  readonly #maxRequestBytes: number;
  readonly #watch: ChangeWatch;
  #watching = false;

  constructor(name: string, keys: EtcdKeys, connection: EtcdConnection, maxRequestBytes: number) {
    this.name = name;
    this.#keys = keys;
    this.#connection = connection;
    this.#maxRequestBytes = maxRequestBytes;
    this.#watch = new ChangeWatch(name, keys);
  }

  get #kv(): Etcd3['kv'] {
    return this.#connection.client.kv;
  }

  async open(deliver: (event: DriverEvent) => void, logger: Logger): Promise<void> {
    await this.#guard('open', async () => {
      if (this.#watching) return;
      // A read first: it fails fast while etcd is away, and gives the revision to watch from.
      const { header } = await this.#kv.range({ key: key(this.#keys.cleared) });
      await this.#watch.start(this.#connection.client, header.revision, deliver, logger);
      this.#watching = true;
    });
  }

  async close(): Promise<void> {
    await this.#watch.stop();
    await this.#connection.close();
  }

  #guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardTransient(this.name, operation, isTransient, work);
  }

  /**
   * Runs a write that carries data of job `id`. Over the limit it is refused before it is sent:
   * etcd3 takes gRPC's refusal of an oversized message for a failing server, retries it and opens
   * its circuit breaker, failing every call for 5 s. etcd's own refusal (a server limit below
   * `maxRequestBytes`) becomes JobTooLargeError too.
   */
  async #txn(operation: string, id: string, compare: ICompare[], success: IRequestOp[]): Promise<ITxnResponse> {
    const size = requestBytes(success);
    const refuse = (cause?: unknown): JobTooLargeError => new JobTooLargeError(this.name, id, operation, size, this.#maxRequestBytes, 'etcd --max-request-bytes', cause);
    if (size > this.#maxRequestBytes) throw refuse();
    try {
      return await this.#kv.txn({ compare, success });
    } catch (error) {
      if (isTooLarge(error)) throw refuse(error);
      throw error;
    }
  }

  /** The rows of `ids` (absent ones left out), with their data unless `withData` is false, as of `revision` when given. */
  async #readRows(ids: readonly string[], withData: boolean, revision?: string): Promise<Map<string, ReadRow>> {
    const rows = new Map<string, ReadRow>();
    const perRow = withData ? 2 : 1;
    for (const chunk of chunksWithin(ids, () => 1, Number.POSITIVE_INFINITY, Math.floor(MAX_TXN_OPS / perRow))) {
      const at = revision === undefined ? {} : { revision };
      const success: IRequestOp[] = chunk.flatMap((id) => {
        const ops: IRequestOp[] = [{ request_range: { key: key(this.#keys.jobs + encodeId(id)), ...at } }];
        if (withData) ops.push({ request_range: { key: key(this.#keys.data + encodeId(id)), ...at } });
        return ops;
      });
      const { responses } = await this.#kv.txn({ success });
      chunk.forEach((id, i) => {
        const kv = responses[i * perRow]?.response_range.kvs[0];
        const meta = kv === undefined ? null : decodeMeta(kv.value.toString());
        if (kv === undefined || meta === null) return;
        const data = withData ? (responses[i * perRow + 1]?.response_range.kvs[0]?.value.toString('utf8') ?? '') : '';
        rows.set(id, { id, meta, modRevision: kv.mod_revision, data });
      });
    }
    return rows;
  }

  /**
   * Rows in index order from `start` (inclusive) to `end` (exclusive), up to `limit`: one range
   * read of the index and one read of those rows at the same revision, so the two agree.
   */
  async #scan(start: string, end: string, limit: number, withData = true): Promise<{ rows: ReadRow[]; next: string | null }> {
    const index: IRangeResponse = await this.#kv.range({ key: key(start), range_end: key(end), limit, keys_only: true });
    const ids = index.kvs.map((kv) => idOfIndexKey(kv.key.toString()));
    const found = await this.#readRows(ids, withData, index.header.revision);
    const rows = ids.flatMap((id) => found.get(id) ?? []);
    const last = index.kvs[index.kvs.length - 1];
    return { rows, next: index.more && last !== undefined ? `${last.key.toString()}\0` : null };
  }

  /** Up to `limit` rows from `start` to `end`, reading on past rows that vanished between the index and the read. */
  async #collect(start: string, end: string, limit: number): Promise<StoredJob[]> {
    const out: StoredJob[] = [];
    let from: string | null = start;
    while (from !== null && out.length < limit) {
      const { rows, next } = await this.#scan(from, end, limit - out.length);
      for (const row of rows) out.push(toStoredJob(row.id, row.meta, row.data));
      from = next;
    }
    return out;
  }

  insert(row: StoredJob): Promise<boolean> {
    return this.#guard('addJob', async () => {
      const rowKey = this.#keys.jobs + encodeId(row.id);
      const response = await this.#txn(
        'addJob',
        row.id,
        [{ key: key(rowKey), target: 'Create', result: 'Equal', create_revision: 0 }],
        [put(rowKey, encodeMeta(row, 'added')), put(this.#keys.data + encodeId(row.id), row.data), put(indexKey(this.#keys, row.id, row.nextRunTime), '')],
      );
      return response.succeeded;
    });
  }

  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.#guard('updateJob', async () => {
      for (;;) {
        const row = (await this.#readRows([id], true)).get(id);
        if (row === undefined) return { status: 'missing' };
        if (expectedVersion !== undefined && row.meta.v !== expectedVersion) return { status: 'conflict', version: row.meta.v };
        const nextRunTime = changes.nextRunTime !== undefined ? changes.nextRunTime : row.meta.n;
        const written: StoredJob = { id, nextRunTime, data: changes.data ?? row.data, version: row.meta.v + 1, acquiredBy: row.meta.o, acquiredUntil: row.meta.u };
        const ops = [put(this.#keys.jobs + encodeId(id), encodeMeta(written, 'updated')), ...this.#move(id, row.meta.n, nextRunTime)];
        if (changes.data !== undefined) ops.push(put(this.#keys.data + encodeId(id), changes.data));
        const response = await this.#txn('updateJob', id, [sameMod(this.#keys.jobs + encodeId(id), row.modRevision)], ops);
        if (response.succeeded) return { status: 'ok', row: written };
      }
    });
  }

  /** The index writes that move a row from one time to another (none when it stays). */
  #move(id: string, from: number | null, to: number | null): IRequestOp[] {
    if (from === to) return [];
    return [del(indexKey(this.#keys, id, from)), put(indexKey(this.#keys, id, to), '')];
  }

  /** Deletes of the row's three keys. */
  #erase(id: string, nextRunTime: number | null): IRequestOp[] {
    return [del(this.#keys.jobs + encodeId(id)), del(this.#keys.data + encodeId(id)), del(indexKey(this.#keys, id, nextRunTime))];
  }

  remove(id: string): Promise<boolean> {
    return this.#guard('removeJob', async () => {
      for (;;) {
        const row = (await this.#readRows([id], false)).get(id);
        if (row === undefined) {
          // A row this store cannot decode is still removed (core's rule for corrupt records).
          const { deleted } = await this.#kv.deleteRange({ key: key(this.#keys.jobs + encodeId(id)) });
          if (deleted === '0') return false;
          await this.#kv.txn({ success: [del(this.#keys.data + encodeId(id)), del(indexKey(this.#keys, id, null))] });
          return true;
        }
        const response = await this.#kv.txn({ compare: [sameMod(this.#keys.jobs + encodeId(id), row.modRevision)], success: this.#erase(id, row.meta.n) });
        if (response.succeeded) return true;
      }
    });
  }

  removeAll(): Promise<void> {
    return this.#guard('removeAllJobs', async () => {
      // The write to `cleared` in the same revision makes watchers say "cleared" once.
      await this.#kv.txn({
        success: [delPrefix(this.#keys.jobs), delPrefix(this.#keys.data), delPrefix(this.#keys.due), delPrefix(this.#keys.paused), put(this.#keys.cleared, new Date().toISOString())],
      });
    });
  }

  get(id: string): Promise<StoredJob | null> {
    return this.#guard('lookupJob', async () => {
      const row = (await this.#readRows([id], true)).get(id);
      return row === undefined ? null : toStoredJob(id, row.meta, row.data);
    });
  }

  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('listJobs', async () => {
      const out: StoredJob[] = [];
      if (after === null || after.nextRunTime !== null) {
        const start = after === null ? this.#keys.due : `${indexKey(this.#keys, after.id, after.nextRunTime)}\0`;
        out.push(...(await this.#collect(start, rangeEnd(this.#keys.due), limit)));
      }
      if (out.length < limit) {
        const start = after !== null && after.nextRunTime === null ? `${indexKey(this.#keys, after.id, null)}\0` : this.#keys.paused;
        out.push(...(await this.#collect(start, rangeEnd(this.#keys.paused), limit - out.length)));
      }
      return out;
    });
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('getDueJobs', () => {
      const start = after === null ? this.#keys.due : `${indexKey(this.#keys, after.id, after.nextRunTime)}\0`;
      return this.#collect(start, this.#dueEnd(now), limit);
    });
  }

  /** The first index key after every job due at `now`. */
  #dueEnd(now: number): string {
    return `${this.#keys.due}${padTime(now + 1)}`;
  }

  nextRunTime(): Promise<number | null> {
    return this.#guard('getNextRunTime', async () => {
      // Walks the due order: a leased row counts from when its lease ends; the first unleased row ends the walk.
      let best: number | null = null;
      let from: string | null = this.#keys.due;
      while (from !== null) {
        const { rows, next } = await this.#scan(from, rangeEnd(this.#keys.due), PAGE, false);
        for (const { meta } of rows) {
          const time = meta.n ?? 0;
          if (best !== null && time >= best) return best;
          if (meta.o === null || meta.u === null) return best === null ? time : Math.min(best, time);
          const free = Math.max(time, meta.u + 1);
          best = best === null ? free : Math.min(best, free);
        }
        from = next;
      }
      return best;
    });
  }

  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.#guard('acquireDueJobs', async () => {
      const out: StoredJob[] = [];
      // Rows claimed by this call: a page read again lists them as this owner's, hence free.
      const claimedIds = new Set<string>();
      let from: string | null = this.#keys.due;
      let attempts = 0;
      while (from !== null && out.length < limit && attempts < MAX_ATTEMPTS) {
        const { rows, next } = await this.#scan(from, this.#dueEnd(now), Math.max(PAGE, limit * 2));
        const free = rows.filter(({ id, meta }) => !claimedIds.has(id) && isClaimable(leaseOf(meta), owner, now));
        // etcd counts a nested transaction's operations with its parent's: two per claimed row.
        const take = free.slice(0, Math.min(limit - out.length, MAX_TXN_OPS / 2));
        if (take.length > 0) {
          // One transaction holding a transaction per row: each row is claimed if it is still as read, so rows another
          // scheduler took meanwhile are passed over without failing the others.
          const claimed = take.map((row) => ({ ...toStoredJob(row.id, row.meta, row.data), acquiredBy: owner, acquiredUntil: leaseUntil }));
          const { responses } = await this.#kv.txn({
            success: take.map((row, i) => ({
              request_txn: { compare: [sameMod(this.#keys.jobs + encodeId(row.id), row.modRevision)], success: [put(this.#keys.jobs + encodeId(row.id), encodeMeta(claimed[i]!, 'acquired'))] },
            })),
          });
          let lost = 0;
          claimed.forEach((written, i) => {
            if (responses[i]?.response_txn.succeeded === true) {
              out.push(written);
              claimedIds.add(written.id);
            } else lost++;
          });
          if (lost > 0) attempts++;
          // Rows lost to another scheduler, or left for want of room: read this page again (what this call took is skipped).
          if (lost > 0 || take.length < free.length) continue;
        }
        from = next;
      }
      return out;
    });
  }

  async release(id: string, owner: string, change: ReleaseItem['change'], expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    const [outcome] = await this.releaseMany(owner, [{ id, change, expectedVersion }]);
    return outcome ?? { status: 'missing' };
  }

  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    return this.#guard('releaseJobs', async () => {
      const outcomes: ReleaseOutcome[] = [];
      const unique = new Set(items.map((item) => item.id)).size === items.length;
      // Up to 5 operations per release (its compare and 4 writes, counted with the parent's), and
      // the data well under etcd's request limit per transaction.
      const chunks = unique ? chunksWithin(items, releaseBytes, this.#maxRequestBytes / 2, Math.floor(MAX_TXN_OPS / 5)) : items.map((item) => [item]);
      for (const chunk of chunks) {
        const batch = chunk.length > 1 ? await this.#releaseOnce(owner, chunk).catch((error: unknown) => (error instanceof JobTooLargeError ? null : Promise.reject(error))) : null;
        // A row written in between (our own lease extension, say) is read again and released alone.
        for (const [i, item] of chunk.entries()) outcomes.push(batch?.[i] ?? (await this.#releaseOne(owner, item)));
      }
      return outcomes;
    });
  }

  /** One release, read again and retried until it is decided. */
  async #releaseOne(owner: string, item: ReleaseItem): Promise<ReleaseOutcome> {
    for (;;) {
      const [outcome] = await this.#releaseOnce(owner, [item]);
      if (outcome !== null && outcome !== undefined) return outcome;
    }
  }

  /**
   * The releases of `items` in one transaction holding a transaction per row, so a row another
   * writer changed in between fails alone: its outcome is null (read it again), the others stand.
   */
  async #releaseOnce(owner: string, items: readonly ReleaseItem[]): Promise<(ReleaseOutcome | null)[]> {
    const rows = await this.#readRows(
      items.map((item) => item.id),
      false,
    );
    const outcomes: (ReleaseOutcome | null)[] = [];
    // Per row written: its place among the outcomes and its own transaction.
    const written: { readonly at: number; readonly op: IRequestOp }[] = [];
    for (const { id, change, expectedVersion } of items) {
      const row = rows.get(id);
      const refusal = releaseRefusal(row === undefined ? null : leaseOf(row.meta), owner, expectedVersion);
      if (refusal !== null || row === undefined) {
        outcomes.push(refusal ?? { status: 'missing' });
        continue;
      }
      const ops: IRequestOp[] = [];
      if (change === 'remove') ops.push(...this.#erase(id, row.meta.n));
      else {
        const meta = { nextRunTime: change.nextRunTime, version: row.meta.v + 1, acquiredBy: null, acquiredUntil: null };
        ops.push(put(this.#keys.jobs + encodeId(id), encodeMeta(meta, 'released')), ...this.#move(id, row.meta.n, change.nextRunTime));
        if (change.data !== undefined) ops.push(put(this.#keys.data + encodeId(id), change.data));
      }
      written.push({ at: outcomes.length, op: { request_txn: { compare: [sameMod(this.#keys.jobs + encodeId(id), row.modRevision)], success: ops } } });
      outcomes.push({ status: 'ok' });
    }
    if (written.length === 0) return outcomes;
    const { responses } = await this.#txn(
      'releaseJob',
      items[0]?.id ?? '',
      [],
      written.map(({ op }) => op),
    );
    written.forEach(({ at }, i) => {
      if (responses[i]?.response_txn.succeeded !== true) outcomes[at] = null;
    });
    return outcomes;
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#guard('extendLeases', async () => {
      const out: string[] = [];
      // A transaction per row inside one: a row changed in between (released by this scheduler, say)
      // fails alone and is read again, instead of failing, and retrying, the whole batch.
      for (const chunk of chunksWithin(ids, () => 1, Number.POSITIVE_INFINITY, MAX_TXN_OPS / 2)) {
        let pending: readonly string[] = chunk;
        while (pending.length > 0) {
          const rows = [...(await this.#readRows(pending, false)).values()].filter((row) => holdsLease(leaseOf(row.meta), owner));
          if (rows.length === 0) break;
          const { responses } = await this.#kv.txn({
            success: rows.map((row) => ({
              request_txn: {
                compare: [sameMod(this.#keys.jobs + encodeId(row.id), row.modRevision)],
                success: [put(this.#keys.jobs + encodeId(row.id), encodeMeta({ version: row.meta.v, nextRunTime: row.meta.n, acquiredBy: owner, acquiredUntil: leaseUntil }, 'extended'))],
              },
            })),
          });
          const changed: string[] = [];
          rows.forEach((row, i) => {
            if (responses[i]?.response_txn.succeeded === true) out.push(row.id);
            else changed.push(row.id);
          });
          pending = changed;
        }
      }
      return out;
    });
  }
}

/** The fields of a row core's lease rules read. */
function leaseOf(meta: RowMeta): Pick<StoredJob, 'version' | 'nextRunTime' | 'acquiredBy' | 'acquiredUntil'> {
  return { version: meta.v, nextRunTime: meta.n, acquiredBy: meta.o, acquiredUntil: meta.u };
}

/** What a transaction's writes take in a request: keys and values, and a little per operation. */
function requestBytes(ops: readonly IRequestOp[]): number {
  let bytes = 64;
  for (const op of ops) {
    bytes += 16 + (op.request_put?.key?.length ?? 0) + (op.request_put?.value?.length ?? 0) + (op.request_delete_range?.key?.length ?? 0);
    if (op.request_txn?.success !== undefined) bytes += requestBytes(op.request_txn.success);
  }
  return bytes;
}

/** The bytes of job data a release writes. */
function releaseBytes(item: ReleaseItem): number {
  return item.change === 'remove' ? 0 : Buffer.byteLength(item.change.data ?? '');
}
