import {
  chunksWithin,
  guardTransient,
  holdsLease,
  isClaimable,
  JobIndex,
  releaseRefusal,
  SerializationError,
  type DriverEvent,
  type ListPosition,
  type ReleaseItem,
  type ReleaseOutcome,
  type RowChanges,
  type RowRelease,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { ChangeLog, type Change } from './change-log.js';
import { decodeId, decodeRecord, encodeId, encodeRecord } from './layout.js';
import { CODES, codeOf, isTransient, watchHandshake, Zk, type MultiOp } from './zk.js';

/** How the driver gets a client: a fresh one after a session expires, when it made the first. */
export interface ZkConnection {
  /** A connected client. */
  connect(): Promise<Client>;
  /** True when the driver may close clients and make new ones (not a caller's client). */
  readonly owned: boolean;
}

/** Writes that lost a compare-and-set are retried this many times before giving up. */
const MAX_RETRIES = 20;
/** Jobs per multi transaction, and bytes: ZooKeeper refuses a request over 1 MB. */
const MULTI_JOBS = 500;
const MULTI_BYTES = 900_000;
/** The largest job record: the job znode and its copy in the change record must fit one request. */
const MAX_RECORD_BYTES = 450_000;

/**
 * The StoreDriver over ZooKeeper.
 *
 * - Each job is one znode, `<root>/jobs/<base64url(id)>`, holding its whole record. Every write
 *   is conditioned on the znode version (compare-and-set); a claim of many jobs is one multi
 *   transaction, all or nothing.
 * - Every write also appends, in the same transaction, a record to the change log
 *   (see {@link ChangeLog}). Each store reads the log in order and applies it to its in-memory
 *   index of the jobs, so due order and next run time are answered without reading any job,
 *   and subscribers hear of every change.
 * - The index changes only by reading the log, in log order, so nothing races the log. A write
 *   returns once committed; every query first catches up with the log, so the writer still
 *   reads its own writes.
 */
export class ZooKeeperDriver implements StoreDriver {
  readonly name: string;
  readonly notifications = 'push' as const;
  readonly #root: string;
  readonly #jobs: string;
  readonly #connection: ZkConnection;
  readonly #index = new JobIndex();
  /** Each indexed job's znode version: the compare-and-set token of a claim. */
  readonly #versions = new Map<string, number>();
  /** The session calls use; unset while a new one loads. */
  #zk: Zk | undefined;
  /** The log of the current session (its watch feeds the index). */
  #log: ChangeLog | undefined;
  #deliver: (event: DriverEvent) => void = () => undefined;
  #closed = false;
  #recovering: Promise<void> | undefined;

  constructor(name: string, root: string, connection: ZkConnection) {
    this.name = name;
    this.#root = root;
    this.#jobs = `${root}/jobs`;
    this.#connection = connection;
  }

  // ---- sessions -------------------------------------------------------------------------------

  async open(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#deliver = deliver;
    await this.#guard('open', () => this.#start());
  }

  async #start(): Promise<void> {
    const client = await this.#connection.connect();
    watchHandshake(client);
    const zk = new Zk(client);
    const log = new ChangeLog(zk, `${this.#root}/events`, {
      load: () => this.#load(zk),
      read: (ids) => this.#readMany(zk, ids),
      apply: (changes, events) => this.#apply(changes, events),
    });
    client.on('expired', () => {
      if (this.#log === log) void this.#recover();
    });
    try {
      await zk.mkdirp(this.#jobs);
      this.#log = log;
      await log.start();
    } catch (error) {
      if (this.#log === log) this.#log = undefined;
      log.stop();
      if (this.#connection.owned) client.close();
      throw error;
    }
    this.#zk = zk;
  }

  /**
   * An expired session took its watch with it, and no reply of it can be trusted: calls fail
   * as unavailable while the store takes a new session (when it made the first) and loads all
   * jobs again. Claims made before stay as written: their leases end by time.
   */
  #recover(): Promise<void> {
    this.#recovering ??= (async () => {
      const old = this.#zk ?? this.#log?.zk;
      this.#zk = undefined;
      this.#log?.stop();
      this.#log = undefined;
      if (this.#connection.owned) old?.client.close();
      for (let delay = 200; !this.#closed; delay = Math.min(delay * 2, 5000)) {
        try {
          await this.#start();
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    })().finally(() => {
      this.#recovering = undefined;
    });
    return this.#recovering;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#recovering?.catch(() => undefined);
    this.#log?.stop();
    if (this.#connection.owned) this.#log?.zk.client.close();
    this.#zk = undefined;
    this.#log = undefined;
  }

  // ---- the index, fed by the log ------------------------------------------------------------

  /** Every job, read again (at the start of a session, and when the log was trimmed past this store). */
  async #load(zk: Zk): Promise<void> {
    const names = await zk.getChildren(this.#jobs);
    const rows = await this.#readMany(
      zk,
      names.map((name) => decodeId(name)),
    );
    this.#index.clear();
    this.#versions.clear();
    this.#apply(rows, []);
  }

  /** The jobs as ZooKeeper has them now: a change each, with a null row for a missing or unreadable one. */
  async #readMany(zk: Zk, ids: readonly string[]): Promise<Change[]> {
    const changes: Change[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const read = await Promise.all(ids.slice(i, i + 1000).map(async (id) => ({ id, current: await this.#read(zk, id) })));
      for (const { id, current } of read) changes.push({ id, zversion: current?.zversion ?? -1, row: current?.row ?? null });
    }
    return changes;
  }

  #apply(changes: readonly Change[], events: readonly DriverEvent[]): void {
    for (const { id, zversion, row } of changes) {
      if (row === null) {
        this.#index.delete(id);
        this.#versions.delete(id);
      } else {
        this.#index.put(row);
        this.#versions.set(id, zversion);
      }
    }
    for (const event of events) if (!this.#closed) this.#deliver(event);
  }

  /** The current session, caught up: every change committed before the call is in the index. */
  async #current(): Promise<Zk> {
    const zk = this.#client();
    await this.#log?.catchUp();
    return zk;
  }

  // ---- helpers --------------------------------------------------------------------------------

  #path(id: string): string {
    return `${this.#jobs}/${encodeId(id)}`;
  }

  #client(): Zk {
    const zk = this.#zk;
    if (zk === undefined) throw sessionGone();
    return zk;
  }

  #guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardTransient(this.name, operation, isTransient, work);
  }

  /** The job as ZooKeeper has it now, with its znode version; null when missing or not a job record. */
  async #read(zk: Zk, id: string): Promise<{ row: StoredJob; zversion: number } | null> {
    try {
      const { data, stat } = await zk.getData(this.#path(id));
      const record = decodeRecord(id, data);
      return record === null ? null : { row: record.row, zversion: stat.version };
    } catch (error) {
      if (codeOf(error) === CODES.noNode) return null;
      throw error;
    }
  }

  /** Commits `ops` with their log record, in one transaction (see ChangeLog.commit). */
  async #commit(ops: readonly MultiOp[], changes: readonly Change[], message: string | null): Promise<void> {
    const log = this.#log;
    if (log === undefined || this.#zk === undefined) throw sessionGone();
    await log.commit(ops, changes, message);
  }

  /** A compare-and-set write of one job; false when someone wrote first. */
  async #write(row: StoredJob, zversion: number, message: string | null): Promise<boolean> {
    try {
      const data = encodeRecord(row);
      await this.#commit([{ type: 'setData', path: this.#path(row.id), data, version: zversion }], [{ id: row.id, zversion: zversion + 1, row }], message);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  // ---- the contract -------------------------------------------------------------------------

  insert(row: StoredJob): Promise<boolean> {
    return this.#guard('addJob', async () => {
      const data = checkedRecord(row);
      try {
        await this.#commit([{ type: 'create', path: this.#path(row.id), data }], [{ id: row.id, zversion: 0, row }], message('added', row.id, row.nextRunTime));
      } catch (error) {
        if (codeOf(error) === CODES.nodeExists) return false;
        throw error;
      }
      return true;
    });
  }

  update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    return this.#guard('updateJob', async () => {
      const zk = this.#client();
      for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
        const current = await this.#read(zk, id);
        if (current === null) return { status: 'missing' };
        if (expectedVersion !== undefined && current.row.version !== expectedVersion) return { status: 'conflict', version: current.row.version };
        const row: StoredJob = { ...current.row, ...changes, version: current.row.version + 1 };
        checkedRecord(row);
        if (await this.#write(row, current.zversion, message('updated', id, row.nextRunTime))) return { status: 'ok', row };
      }
      throw new Error(`updateJob: job ${JSON.stringify(id)} kept changing under ${MAX_RETRIES} attempts`);
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#guard('removeJob', async () => {
      try {
        await this.#commit([{ type: 'remove', path: this.#path(id), version: -1 }], [{ id, zversion: -1, row: null }], JSON.stringify({ t: 'removed', id }));
      } catch (error) {
        if (codeOf(error) === CODES.noNode) return false;
        throw error;
      }
      return true;
    });
  }

  removeAll(): Promise<void> {
    return this.#guard('removeAllJobs', async () => {
      const zk = this.#client();
      const names = await zk.getChildren(this.#jobs);
      for (let i = 0; i === 0 || i < names.length; i += MULTI_JOBS) {
        const chunk = names.slice(i, i + MULTI_JOBS);
        const ops: MultiOp[] = chunk.map((name) => ({ type: 'remove', path: `${this.#jobs}/${name}`, version: -1 }));
        const gone: Change[] = chunk.map((name) => ({ id: decodeId(name), zversion: -1, row: null }));
        // The first chunk tells subscribers "cleared"; the others only empty the indexes.
        await this.#commit(ops, gone, i === 0 ? '{"t":"cleared"}' : null).catch(async (error: unknown) => {
          if (codeOf(error) !== CODES.noNode) throw error;
          // A job vanished meanwhile: remove the rest one by one.
          await Promise.all(gone.map(({ id }) => this.remove(id)));
        });
      }
    });
  }

  get(id: string): Promise<StoredJob | null> {
    return this.#guard('lookupJob', async () => (await this.#read(this.#client(), id))?.row ?? null);
  }

  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('listJobs', async () => {
      await this.#current();
      return this.#index.list(after, limit);
    });
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('getDueJobs', async () => {
      await this.#current();
      return this.#index.due(now, after, limit);
    });
  }

  nextRunTime(): Promise<number | null> {
    return this.#guard('getNextRunTime', async () => {
      await this.#current();
      return this.#index.nextRunTime();
    });
  }

  /**
   * Claims in one multi transaction per batch of candidates from the index, each conditioned on
   * the znode version the index holds. When a batch fails (a candidate changed meanwhile), each
   * is tried on its own, after reading it again.
   */
  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.#guard('acquireDueJobs', async () => {
      const zk = await this.#current();
      const claimed: StoredJob[] = [];
      const tried = new Set<string>();
      while (claimed.length < limit) {
        const candidates = this.#index.claimable(owner, now, Math.min(MULTI_JOBS, limit - claimed.length), (id) => tried.has(id));
        if (candidates.length === 0) break;
        const batch = fitRequest(candidates.map((row) => ({ row: { ...row, acquiredBy: owner, acquiredUntil: leaseUntil }, zversion: this.#versions.get(row.id) ?? 0 })));
        for (const { row } of batch) tried.add(row.id);
        try {
          const ops: MultiOp[] = batch.map(({ row, data, zversion }) => ({ type: 'setData', path: this.#path(row.id), data, version: zversion }));
          await this.#commit(
            ops,
            batch.map(({ row, zversion }) => ({ id: row.id, zversion: zversion + 1, row })),
            null,
          );
          claimed.push(...batch.map(({ row }) => row));
        } catch (error) {
          if (isTransient(error)) throw error;
          const one = await Promise.all(batch.map(({ row }) => this.#claimOne(zk, row.id, owner, now, leaseUntil)));
          claimed.push(...one.filter((row): row is StoredJob => row !== null));
        }
      }
      return claimed;
    });
  }

  async #claimOne(zk: Zk, id: string, owner: string, now: number, leaseUntil: number): Promise<StoredJob | null> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.#read(zk, id);
      if (current === null) return null;
      const { row } = current;
      if (!isClaimable(row, owner, now)) return null;
      const leased = { ...row, acquiredBy: owner, acquiredUntil: leaseUntil };
      if (await this.#write(leased, current.zversion, null)) return leased;
    }
    return null;
  }

  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.#guard('releaseJob', async () => (await this.#releaseBatch(this.#client(), owner, [{ id, change, expectedVersion }]))[0] as ReleaseOutcome);
  }

  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    return this.#guard('releaseJobs', async () => {
      const zk = this.#client();
      const outcomes: ReleaseOutcome[] = [];
      for (let i = 0; i < items.length; i += MULTI_JOBS) outcomes.push(...(await this.#releaseBatch(zk, owner, items.slice(i, i + MULTI_JOBS))));
      return outcomes;
    });
  }

  /**
   * Plans each release on the job as the index holds it, or as read when the index cannot tell,
   * then writes the releases that hold in one transaction (per size-bounded chunk); when a job
   * changed in between, that chunk's jobs are released one by one.
   *
   * A release is what ends a run's window for a repeat: until it is committed, a crash of this
   * process hands the job, and the fire time it just ran, to another process once the lease ends.
   * So it costs one round trip where it can: no read first where the index already shows the
   * lease (and, as every write, no wait for its log record: see ChangeLog.commit).
   */
  async #releaseBatch(zk: Zk, owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    const planned = await Promise.all(items.map(async (item) => planRelease(item, owner, this.#leasedInIndex(item.id, owner, item.expectedVersion) ?? (await this.#read(zk, item.id)))));
    const outcomes = planned.map((plan) => plan.outcome);
    const writes = planned.flatMap((plan, i) => (plan.write === undefined ? [] : [{ i, write: plan.write }]));
    for (const chunk of chunkBySize(writes, ({ write }) => write.data.length)) {
      try {
        await this.#commitReleases(chunk.map(({ write }) => write));
      } catch (error) {
        if (!lostRace(error)) throw error;
        await Promise.all(
          chunk.map(async ({ i }) => {
            outcomes[i] = await this.#releaseOne(zk, items[i] as ReleaseItem, owner);
          }),
        );
      }
    }
    return outcomes;
  }

  /**
   * The job as the index holds it, when that shows `owner`'s lease (at `expectedVersion`, when
   * given): usually so by the time a run ends, as the log reader has applied the claim by then.
   * The index may lag a change made since; the compare-and-set on the znode version then fails
   * and the job is read. Where the index does not show the lease, the caller reads the job.
   */
  #leasedInIndex(id: string, owner: string, expectedVersion?: number): { row: StoredJob; zversion: number } | undefined {
    const row = this.#index.get(id);
    const zversion = this.#versions.get(id);
    if (row === undefined || zversion === undefined || !holdsLease(row, owner)) return undefined;
    if (expectedVersion !== undefined && row.version !== expectedVersion) return undefined;
    return { row, zversion };
  }

  async #releaseOne(zk: Zk, item: ReleaseItem, owner: string): Promise<ReleaseOutcome> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const plan = planRelease(item, owner, await this.#read(zk, item.id));
      if (plan.write === undefined) return plan.outcome;
      try {
        await this.#commitReleases([plan.write]);
        return plan.outcome;
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
    }
    throw new Error(`releaseJob: job ${JSON.stringify(item.id)} kept changing under ${MAX_RETRIES} attempts`);
  }

  /** One transaction of releases, told to subscribers as one batch. */
  async #commitReleases(writes: readonly ReleaseWrite[]): Promise<void> {
    const ops: MultiOp[] = writes.map(({ id, row, data, zversion }) =>
      row === null ? { type: 'remove', path: this.#path(id), version: zversion } : { type: 'setData', path: this.#path(id), data, version: zversion },
    );
    const told = JSON.stringify({ t: 'batch', r: writes.map(({ id, row }) => [id, row?.nextRunTime ?? null, row === null]) });
    await this.#commit(
      ops,
      writes.map(({ id, row, zversion }) => ({ id, zversion: row === null ? -1 : zversion + 1, row })),
      told,
    );
  }

  /**
   * The jobs the index shows leased by `owner` are extended in one transaction (per size-bounded
   * chunk), as a claim is: a heartbeat over a hundred jobs is one write, not a hundred, each with
   * its own log record for every store to read. The others, and a chunk that lost a race, are
   * read and extended one by one.
   */
  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#guard('extendLeases', async () => {
      const zk = this.#client();
      const done = new Set<string>();
      const known = ids.flatMap((id) => {
        const held = this.#leasedInIndex(id, owner);
        return held === undefined ? [] : [{ row: { ...held.row, acquiredUntil: leaseUntil }, zversion: held.zversion }];
      });
      for (const chunk of chunkBySize(
        known.map((entry) => ({ ...entry, data: encodeRecord(entry.row) })),
        (entry) => entry.data.length,
      )) {
        try {
          const ops: MultiOp[] = chunk.map(({ row, data, zversion }) => ({ type: 'setData', path: this.#path(row.id), data, version: zversion }));
          await this.#commit(
            ops,
            chunk.map(({ row, zversion }) => ({ id: row.id, zversion: zversion + 1, row })),
            null,
          );
          for (const { row } of chunk) done.add(row.id);
        } catch (error) {
          if (!lostRace(error)) throw error;
        }
      }
      const extended = await Promise.all(
        ids.map(async (id) => {
          if (done.has(id)) return id;
          for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
            const current = await this.#read(zk, id);
            if (current === null || !holdsLease(current.row, owner)) return null;
            if (await this.#write({ ...current.row, acquiredUntil: leaseUntil }, current.zversion, null)) return id;
          }
          return null;
        }),
      );
      return extended.filter((id): id is string => id !== null);
    });
  }
}

/** A compare-and-set that lost: the znode changed or went since it was read. */
function lostRace(error: unknown): boolean {
  return codeOf(error) === CODES.badVersion || codeOf(error) === CODES.noNode;
}

function sessionGone(): Error {
  return Object.assign(new Error('the ZooKeeper session expired; reconnecting'), { code: zookeeper.Exception.SESSION_EXPIRED });
}

/** A release that holds: the job's new row (null: remove it) and the znode version it was read at. */
interface ReleaseWrite {
  readonly id: string;
  readonly row: StoredJob | null;
  readonly data: Buffer;
  readonly zversion: number;
}

/** What releasing `item` does to the job as read: an outcome, and the write when it holds. */
function planRelease({ id, change, expectedVersion }: ReleaseItem, owner: string, current: { row: StoredJob; zversion: number } | null): { outcome: ReleaseOutcome; write?: ReleaseWrite } {
  const refusal = releaseRefusal(current?.row, owner, expectedVersion);
  if (refusal !== null || current === null) return { outcome: refusal ?? { status: 'missing' } };
  const { row, zversion } = current;
  if (change === 'remove') return { outcome: { status: 'ok' }, write: { id, row: null, data: Buffer.alloc(0), zversion } };
  const released: StoredJob = { ...row, ...change, version: row.version + 1, acquiredBy: null, acquiredUntil: null };
  return { outcome: { status: 'ok' }, write: { id, row: released, data: checkedRecord(released), zversion } };
}

/** Leased rows with their encoded records, cut to what one transaction carries. */
function fitRequest(leased: readonly { row: StoredJob; zversion: number }[]): { row: StoredJob; zversion: number; data: Buffer }[] {
  const encoded = leased.map((entry) => ({ ...entry, data: encodeRecord(entry.row) }));
  return chunkBySize(encoded, (entry) => entry.data.length)[0] ?? [];
}

/** Chunks one transaction each can carry: each job counted twice (its znode and its log copy). */
function chunkBySize<T>(items: readonly T[], size: (item: T) => number): T[][] {
  return chunksWithin(items, (item) => 2 * size(item) + 200, MULTI_BYTES, MULTI_JOBS);
}

/** The record's bytes, or SerializationError when ZooKeeper could not take it. */
function checkedRecord(row: StoredJob): Buffer {
  const data = encodeRecord(row);
  if (data.length > MAX_RECORD_BYTES) {
    throw new SerializationError('', `the job record is ${data.length} bytes; the ZooKeeper store keeps at most ${MAX_RECORD_BYTES} bytes per job`, row.id);
  }
  return data;
}

function message(type: 'added' | 'updated', id: string, nextRunTime: number | null): string {
  return JSON.stringify({ t: type, id, n: nextRunTime });
}
