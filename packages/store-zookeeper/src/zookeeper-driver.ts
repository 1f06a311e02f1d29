import {
  guardTransient,
  JobIndex,
  parseChangeMessage,
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
import { decodeId, decodeRecord, encodeId, encodeRecord } from './layout.js';
import { CODES, codeOf, isTransient, Zk, type MultiOp } from './zk.js';

/** How the driver gets a client: a fresh one after a session expires, when it made the first. */
export interface ZkConnection {
  /** A connected client. */
  connect(): Promise<Client>;
  /** True when the driver may close clients and make new ones (not a caller's client). */
  readonly owned: boolean;
}

/** Writes that lost a compare-and-set are retried this many times before giving up. */
const MAX_RETRIES = 20;
/** Jobs per multi transaction (ZooKeeper caps a request at about 1 MB). */
const MULTI_CHUNK = 500;
/** Change records kept when the log is trimmed. */
const EVENTS_KEPT = 1000;
/** A store trims the log after every this many of its own writes. */
const TRIM_EVERY = 250;

/** A change record's data: the jobs it touched (to read again) and the message for subscribers. */
interface ChangeRecord {
  readonly ids: readonly string[];
  /** In parseChangeMessage's format; null for a change subscribers are not told (a claim). */
  readonly message: string | null;
}

const sequenceOf = (name: string): number => Number(name.slice(name.lastIndexOf('-') + 1));
/** ZooKeeper names a sequential node with its counter in ten digits. */
const recordName = (sequence: number): string => `e-${String(sequence).padStart(10, '0')}`;

/**
 * The StoreDriver over ZooKeeper.
 *
 * - Each job is one znode, `<root>/jobs/<base64url(id)>`, holding its whole record; every write
 *   is conditioned on the znode version (compare-and-set), and a claim of many jobs is one multi
 *   transaction: all or nothing.
 * - Every write also creates, in the same transaction, a sequential change record under
 *   `<root>/events`. Each store watches that list and reads the records in order: it tells its
 *   subscribers of every change (a watch alone would fold quick changes into one) and reads the
 *   jobs they touched again, keeping its in-memory index of the jobs exact.
 * - Due order and next run time are answered from that index, never by reading every job. Before
 *   answering, a store makes a round trip: ZooKeeper delivers the watch events of earlier changes
 *   before a later reply, so the index then holds every change made before the call.
 */
export class ZooKeeperDriver implements StoreDriver {
  readonly name: string;
  readonly notifications = 'push' as const;
  readonly #root: string;
  readonly #jobs: string;
  readonly #events: string;
  readonly #connection: ZkConnection;
  readonly #index = new JobIndex();
  /** Each job's znode version: the compare-and-set token. */
  readonly #versions = new Map<string, number>();
  /** The client calls use; unset while a new session loads. */
  #zk: Zk | undefined;
  /** The client whose watch feeds the index. */
  #watching: Zk | undefined;
  #deliver: (event: DriverEvent) => void = () => undefined;
  /** The last change record read. */
  #sequence = -1;
  #pulling: Promise<void> = Promise.resolve();
  #pullAgain = false;
  #pending = 0;
  /** Writes this store made: every TRIM_EVERY-th trims the log. */
  #writes = 0;
  #closed = false;
  #recovering: Promise<void> | undefined;

  constructor(name: string, root: string, connection: ZkConnection) {
    this.name = name;
    this.#root = root;
    this.#jobs = `${root}/jobs`;
    this.#events = `${root}/events`;
    this.#connection = connection;
  }

  // ---- connection and loading ---------------------------------------------------------------

  async open(deliver: (event: DriverEvent) => void): Promise<void> {
    this.#deliver = deliver;
    await this.#guard('open', () => this.#start());
  }

  async #start(): Promise<void> {
    const client = await this.#connection.connect();
    const zk = new Zk(client);
    client.on('expired', () => {
      if (this.#watching === zk) void this.#recover();
    });
    try {
      await zk.mkdirp(this.#jobs);
      await zk.mkdirp(this.#events);
      // Changes from here on are pulled (and land in the index after the load below reads it all).
      this.#watching = zk;
      const [names, horizon] = await Promise.all([zk.getChildren(this.#events, this.#onEvents), this.#horizon(zk)]);
      this.#sequence = Math.max(horizon, ...names.map(sequenceOf));
      await this.#load(zk);
    } catch (error) {
      if (this.#watching === zk) this.#watching = undefined;
      if (this.#connection.owned) client.close();
      throw error;
    }
    this.#zk = zk;
  }

  /**
   * A session that expired took its watch with it, and no reply of it can be trusted: drop the
   * client, take a new session and load everything again. Calls meanwhile fail as unavailable.
   */
  #recover(): Promise<void> {
    this.#recovering ??= (async () => {
      const old = this.#watching;
      this.#zk = undefined;
      this.#watching = undefined;
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

  /** Reads every job into the index (at open, after a clear, and when records were missed). */
  async #load(zk: Zk): Promise<void> {
    const names = await zk.getChildren(this.#jobs);
    this.#index.clear();
    this.#versions.clear();
    for (let i = 0; i < names.length; i += 500) {
      await Promise.all(names.slice(i, i + 500).map((name) => this.#read(zk, decodeId(name))));
    }
  }

  readonly #onEvents = (): void => {
    const zk = this.#watching;
    if (zk === undefined || this.#closed) return;
    this.#pull(zk);
  };

  /** Reads the change records after the last one read; one pass at a time, each pass pipelined. */
  #pull(zk: Zk): void {
    this.#pullAgain = true;
    this.#pending++;
    this.#pulling = this.#pulling
      .then(async () => {
        while (this.#pullAgain && this.#watching === zk && !this.#closed) {
          this.#pullAgain = false;
          await this.#pass(zk);
        }
      })
      .catch(() => undefined)
      .finally(() => this.#pending--);
  }

  /**
   * One pass: list the records (re-setting the watch), read the new ones side by side, read the
   * jobs they name side by side, then tell subscribers in record order. When records this store
   * had not read were trimmed (it fell a thousand changes behind), it reads every job again.
   */
  async #pass(zk: Zk): Promise<void> {
    const [names, horizon] = await Promise.all([zk.getChildren(this.#events, this.#onEvents), this.#horizon(zk)]);
    let reload = horizon > this.#sequence;
    const fresh = names.map(sequenceOf).filter((sequence) => sequence > Math.max(this.#sequence, horizon));
    fresh.sort((a, b) => a - b);
    const records = await Promise.all(fresh.map((sequence) => this.#record(zk, sequence)));
    if (records.includes(null)) reload = true;
    const last = fresh.at(-1);
    if (last !== undefined) this.#sequence = last;
    else if (reload) this.#sequence = horizon;
    const events = records.flatMap((record) => (record?.message == null ? [] : parseChangeMessage(record.message)));
    if (reload || events.some((event) => event.type === 'cleared')) await this.#load(zk);
    else {
      const ids = new Set(records.flatMap((record) => record?.ids ?? []));
      await Promise.all([...ids].map((id) => this.#read(zk, id)));
    }
    for (const event of events) if (!this.#closed) this.#deliver(event);
  }

  /** The newest record trimmed away, kept as the events znode's data; -1 before any trim. */
  async #horizon(zk: Zk): Promise<number> {
    const { data } = await zk.getData(this.#events);
    const text = (data ?? Buffer.alloc(0)).toString('utf8');
    return /^\d+$/.test(text) ? Number(text) : -1;
  }

  /** A change record; null when it was trimmed before this store read it. */
  async #record(zk: Zk, sequence: number): Promise<ChangeRecord | null> {
    try {
      const { data } = await zk.getData(`${this.#events}/${recordName(sequence)}`);
      return JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as ChangeRecord;
    } catch (error) {
      if (codeOf(error) === CODES.noNode) return null;
      throw error;
    }
  }

  /**
   * Keeps the log short: deletes all but the newest EVENTS_KEPT records, first raising the
   * horizon in the same transaction (conditioned on the events znode's version, so two stores
   * trimming at once cannot lower it) so that a reader behind it knows to read everything.
   */
  async #trim(zk: Zk): Promise<void> {
    const { stat } = await zk.getData(this.#events);
    const names = await zk.getChildren(this.#events);
    if (names.length <= EVENTS_KEPT + TRIM_EVERY) return;
    const sequences = names.map(sequenceOf).sort((a, b) => a - b);
    const doomed = sequences.slice(0, sequences.length - EVENTS_KEPT);
    const horizon = doomed.at(-1) as number;
    for (let i = 0; i < doomed.length; i += MULTI_CHUNK) {
      const ops: MultiOp[] = doomed.slice(i, i + MULTI_CHUNK).map((sequence) => ({ type: 'remove', path: `${this.#events}/${recordName(sequence)}`, version: -1 }));
      if (i === 0) ops.unshift({ type: 'setData', path: this.#events, data: Buffer.from(String(horizon)), version: stat.version });
      await zk.commit(ops);
    }
  }

  /**
   * Brings the index up to the moment of the call: a round trip (whose reply comes after the
   * watch events of earlier changes), then the reads those events started.
   */
  async #catchUp(zk: Zk): Promise<void> {
    await zk.exists(this.#root);
    while (this.#pending > 0) await this.#pulling;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#recovering?.catch(() => undefined);
    if (this.#connection.owned) this.#watching?.client.close();
    this.#zk = undefined;
    this.#watching = undefined;
  }

  // ---- helpers ----------------------------------------------------------------------------

  #path(id: string): string {
    return `${this.#jobs}/${encodeId(id)}`;
  }

  #client(): Zk {
    const zk = this.#zk;
    if (zk === undefined) throw Object.assign(new Error('the ZooKeeper session expired; reconnecting'), { code: zookeeper.Exception.SESSION_EXPIRED });
    return zk;
  }

  #guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardTransient(this.name, operation, isTransient, work);
  }

  #cache(row: StoredJob, zversion: number): void {
    if ((this.#versions.get(row.id) ?? -1) > zversion) return;
    this.#index.put(row);
    this.#versions.set(row.id, zversion);
  }

  #forget(id: string): void {
    this.#index.delete(id);
    this.#versions.delete(id);
  }

  /** The job as ZooKeeper has it now (cached too), with its znode version; null when missing or unreadable. */
  async #read(zk: Zk, id: string): Promise<{ row: StoredJob; zversion: number } | null> {
    try {
      const { data, stat } = await zk.getData(this.#path(id));
      const record = decodeRecord(id, data);
      if (record === null) return null;
      this.#cache(record.row, stat.version);
      return { row: record.row, zversion: stat.version };
    } catch (error) {
      if (codeOf(error) !== CODES.noNode) throw error;
      this.#forget(id);
      return null;
    }
  }

  /** Commits `ops` with a change record of `ids` and `message`, in one transaction. */
  async #commit(zk: Zk, ops: readonly MultiOp[], ids: readonly string[], message: string | null): Promise<void> {
    const change: ChangeRecord = { ids, message };
    await zk.commit([...ops, { type: 'create', path: `${this.#events}/e-`, data: Buffer.from(JSON.stringify(change)), sequential: true }]);
    if (++this.#writes % TRIM_EVERY === 0) this.#trim(zk).catch(() => undefined);
  }

  /** A compare-and-set write with its change record; false when someone wrote first. */
  async #write(zk: Zk, row: StoredJob, zversion: number, message: string | null): Promise<boolean> {
    try {
      await this.#commit(zk, [{ type: 'setData', path: this.#path(row.id), data: encodeRecord(row), version: zversion }], [row.id], message);
      this.#cache(row, zversion + 1);
      return true;
    } catch (error) {
      if (codeOf(error) === CODES.badVersion || codeOf(error) === CODES.noNode) return false;
      throw error;
    }
  }

  // ---- the contract -------------------------------------------------------------------------

  insert(row: StoredJob): Promise<boolean> {
    return this.#guard('addJob', async () => {
      const zk = this.#client();
      try {
        await this.#commit(zk, [{ type: 'create', path: this.#path(row.id), data: encodeRecord(row) }], [row.id], message('added', row.id, row.nextRunTime));
      } catch (error) {
        if (codeOf(error) === CODES.nodeExists) return false;
        throw error;
      }
      this.#cache(row, 0);
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
        if (await this.#write(zk, row, current.zversion, message('updated', id, row.nextRunTime))) return { status: 'ok', row };
      }
      throw new Error(`updateJob: job ${JSON.stringify(id)} kept changing under ${MAX_RETRIES} attempts`);
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#guard('removeJob', async () => {
      try {
        await this.#commit(this.#client(), [{ type: 'remove', path: this.#path(id), version: -1 }], [id], JSON.stringify({ t: 'removed', id }));
      } catch (error) {
        if (codeOf(error) === CODES.noNode) return false;
        throw error;
      }
      this.#forget(id);
      return true;
    });
  }

  removeAll(): Promise<void> {
    return this.#guard('removeAllJobs', async () => {
      const zk = this.#client();
      const names = await zk.getChildren(this.#jobs);
      for (let i = 0; i === 0 || i < names.length; i += MULTI_CHUNK) {
        const chunk = names.slice(i, i + MULTI_CHUNK);
        const ops: MultiOp[] = chunk.map((name) => ({ type: 'remove', path: `${this.#jobs}/${name}`, version: -1 }));
        // The first chunk says "cleared" (readers load again); later ones only name what went.
        await this.#commit(zk, ops, chunk.map(decodeId), i === 0 ? '{"t":"cleared"}' : null).catch(async (error: unknown) => {
          if (codeOf(error) !== CODES.noNode) throw error;
          // A job vanished meanwhile: remove the rest one by one.
          await Promise.all(chunk.map((name) => this.remove(decodeId(name)).catch(() => undefined)));
        });
      }
      this.#index.clear();
      this.#versions.clear();
    });
  }

  get(id: string): Promise<StoredJob | null> {
    return this.#guard('lookupJob', async () => (await this.#read(this.#client(), id))?.row ?? null);
  }

  list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('listJobs', async () => {
      await this.#catchUp(this.#client());
      return this.#index.list(after, limit);
    });
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#guard('getDueJobs', async () => {
      await this.#catchUp(this.#client());
      return this.#index.due(now, after, limit);
    });
  }

  nextRunTime(): Promise<number | null> {
    return this.#guard('getNextRunTime', async () => {
      await this.#catchUp(this.#client());
      return this.#index.nextRunTime();
    });
  }

  /**
   * Claims in one multi transaction per batch of candidates from the index, each conditioned on
   * its znode version. When a batch fails (a candidate changed), each is tried on its own, after
   * reading it again.
   */
  acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    return this.#guard('acquireDueJobs', async () => {
      const zk = this.#client();
      await this.#catchUp(zk);
      const claimed: StoredJob[] = [];
      const tried = new Set<string>();
      while (claimed.length < limit) {
        const candidates = this.#index.claimable(owner, now, Math.min(MULTI_CHUNK, limit - claimed.length), (id) => tried.has(id));
        if (candidates.length === 0) break;
        for (const row of candidates) tried.add(row.id);
        const leased = candidates.map((row) => ({ row: { ...row, acquiredBy: owner, acquiredUntil: leaseUntil }, zversion: this.#versions.get(row.id) ?? 0 }));
        try {
          const ops: MultiOp[] = leased.map(({ row, zversion }) => ({ type: 'setData', path: this.#path(row.id), data: encodeRecord(row), version: zversion }));
          await this.#commit(zk, ops, leased.map(({ row }) => row.id), null);
          for (const { row, zversion } of leased) this.#cache(row, zversion + 1);
          claimed.push(...leased.map(({ row }) => row));
        } catch (error) {
          if (isTransient(error)) throw error;
          for (const row of await Promise.all(candidates.map((candidate) => this.#claimOne(zk, candidate.id, owner, now, leaseUntil)))) {
            if (row !== null) claimed.push(row);
          }
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
      const free = row.acquiredBy === null || row.acquiredBy === owner || (row.acquiredUntil ?? 0) < now;
      if (row.nextRunTime === null || row.nextRunTime > now || !free) return null;
      const leased = { ...row, acquiredBy: owner, acquiredUntil: leaseUntil };
      if (await this.#write(zk, leased, current.zversion, null)) return leased;
    }
    return null;
  }

  release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    return this.#guard('releaseJob', () => this.#releaseOne(this.#client(), { id, change, expectedVersion }, owner));
  }

  /** Releases side by side: ZooKeeper pipelines the requests of one session. */
  releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    return this.#guard('releaseJobs', () => {
      const zk = this.#client();
      return Promise.all(items.map((item) => this.#releaseOne(zk, item, owner)));
    });
  }

  async #releaseOne(zk: Zk, { id, change, expectedVersion }: ReleaseItem, owner: string): Promise<ReleaseOutcome> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.#read(zk, id);
      if (current === null) return { status: 'missing' };
      const { row, zversion } = current;
      if (row.acquiredBy !== owner) return { status: 'lost', holder: row.acquiredBy };
      if (expectedVersion !== undefined && row.version !== expectedVersion) return { status: 'conflict', version: row.version };
      if (change === 'remove') {
        try {
          await this.#commit(zk, [{ type: 'remove', path: this.#path(id), version: zversion }], [id], JSON.stringify({ t: 'batch', r: [[id, null, true]] }));
          this.#forget(id);
          return { status: 'ok' };
        } catch (error) {
          if (codeOf(error) !== CODES.badVersion && codeOf(error) !== CODES.noNode) throw error;
          continue;
        }
      }
      const released: StoredJob = { ...row, ...change, version: row.version + 1, acquiredBy: null, acquiredUntil: null };
      const told = JSON.stringify({ t: 'batch', r: [[id, released.nextRunTime, false]] });
      if (await this.#write(zk, released, zversion, told)) return { status: 'ok' };
    }
    throw new Error(`releaseJob: job ${JSON.stringify(id)} kept changing under ${MAX_RETRIES} attempts`);
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#guard('extendLeases', async () => {
      const zk = this.#client();
      const extended = await Promise.all(
        ids.map(async (id) => {
          for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
            const current = await this.#read(zk, id);
            if (current === null || current.row.acquiredBy !== owner) return null;
            if (await this.#write(zk, { ...current.row, acquiredUntil: leaseUntil }, current.zversion, null)) return id;
          }
          return null;
        }),
      );
      return extended.filter((id): id is string => id !== null);
    });
  }
}

function message(type: 'added' | 'updated', id: string, nextRunTime: number | null): string {
  return JSON.stringify({ t: type, id, n: nextRunTime });
}
