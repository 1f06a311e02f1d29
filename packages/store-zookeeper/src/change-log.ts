import { parseChangeMessage, type DriverEvent, type StoredJob } from '@jobstore/core';
import { decodeChange, encodeChange, encodeRecord, type ChangeEntry, type ChangeRecord } from './layout.js';
import { CODES, codeOf, type MultiOp, type Zk } from './zk.js';

/** A job as a change left it: its row (null: removed) at znode version `zversion`. */
export interface Change {
  readonly id: string;
  readonly zversion: number;
  readonly row: StoredJob | null;
}

/** What the log does with what it reads: the store's index. */
export interface LogReader {
  /** Reads every job and replaces the index with them. */
  load(): Promise<void>;
  /** Reads these jobs as ZooKeeper has them now. */
  read(ids: readonly string[]): Promise<Change[]>;
  /** Applies changes in log order, then tells subscribers. */
  apply(changes: readonly Change[], events: readonly DriverEvent[]): void;
}

/** Records kept when the log is trimmed; a reader further behind than this reads every job again. */
const KEPT = 1000;
/** A store trims the log after every this many of its own writes. */
const TRIM_EVERY = 250;
/** Jobs whose record is at most this long travel inside the change record; larger ones are read. */
const INLINE_BYTES = 8192;
/**
 * How far, in records, a writer may run ahead of its own reader: beyond it, a write waits for
 * the reader. Well inside KEPT, so a busy writer does not make its own store fall behind the
 * trimmed log and read every job again.
 */
const AHEAD = 500;
/** How long a write waits for its reader before returning anyway. */
const REACH_MS = 10_000;

const sequenceOf = (name: string): number => Number(name.slice(name.lastIndexOf('-') + 1));
/** ZooKeeper names a sequential node with its counter in ten digits. */
const recordName = (sequence: number): string => `e-${String(sequence).padStart(10, '0')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The change log of one namespace: sequential znodes `<path>/e-NNNNNNNNNN`, one per write, made
 * in the write's own transaction, so their order is the order of the writes.
 *
 * A reader watches the children of `<path>` and, on each change, reads the new records side by
 * side and applies them in order, in one pass at a time. A record carries each job as the write
 * left it, so readers read no job znode (except large jobs, and jobs written past the store).
 * Writers trim old records, raising a horizon kept as `<path>`'s data in the same transaction;
 * a reader that had not reached the horizon missed records and reads every job again.
 */
export class ChangeLog {
  readonly zk: Zk;
  readonly #path: string;
  readonly #reader: LogReader;
  /** The last record applied. */
  #sequence = -1;
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;
  #again = false;
  #stopped = false;
  #writes = 0;

  constructor(zk: Zk, path: string, reader: LogReader) {
    this.zk = zk;
    this.#path = path;
    this.#reader = reader;
  }

  /** Starts watching, then loads every job (in the pass order, so no record is applied before the load). */
  async start(): Promise<void> {
    await this.zk.mkdirp(this.#path);
    await this.#serial(async () => {
      const [names, horizon] = await Promise.all([this.zk.getChildren(this.#path, this.#onWatch), this.#horizon()]);
      this.#sequence = Math.max(horizon, ...names.map(sequenceOf));
      await this.#reader.load();
    });
  }

  stop(): void {
    this.#stopped = true;
  }

  /**
   * Commits `ops` with a record of `changes`, in one transaction, and returns once ZooKeeper has
   * committed it: the writer's own queries see it (each catches up first) and its subscribers
   * hear of it when the reader comes to the record, as for any other write. Waiting for the
   * reader at every write made a write on a busy server take about five times its commit (in the
   * reliability harness's crash scenario, medians of 75 ms committing and 280 ms more waiting),
   * and a release's time is time in which a crash makes a run repeat. A write waits only while
   * its reader is more than AHEAD records behind it, for at most REACH_MS (the write stands
   * either way).
   */
  async commit(ops: readonly MultiOp[], changes: readonly Change[], message: string | null): Promise<void> {
    const entries = changes.map((change): ChangeEntry => (change.row === null || encodeRecord(change.row).length <= INLINE_BYTES ? change : { id: change.id }));
    const paths = await this.zk.commit([...ops, { type: 'create', path: `${this.#path}/e-`, data: encodeChange(entries, message), sequential: true }]);
    if (++this.#writes % TRIM_EVERY === 0) this.#trim().catch(() => undefined);
    const made = paths.at(-1);
    if (made !== undefined) await this.#reach(sequenceOf(made) - AHEAD);
  }

  /**
   * Brings the reader up to the moment of the call: a round trip (ZooKeeper delivers the watch
   * events of earlier changes before a later reply), then the passes those events started.
   */
  async catchUp(): Promise<void> {
    await this.zk.exists(this.#path);
    while (this.#pending > 0) await this.#chain;
  }

  async #reach(sequence: number): Promise<void> {
    const deadline = Date.now() + REACH_MS;
    while (this.#sequence < sequence && !this.#stopped && Date.now() < deadline) {
      this.#pull();
      await this.#chain;
      if (this.#sequence < sequence) await sleep(20);
    }
  }

  readonly #onWatch = (): void => this.#pull();

  #pull(): void {
    if (this.#stopped) return;
    this.#again = true;
    this.#serial(async () => {
      while (this.#again && !this.#stopped) {
        this.#again = false;
        await this.#pass();
      }
    }).catch(() => {
      // The watch may not be set again: retry shortly (a lost connection comes back, or the session expires).
      setTimeout(() => this.#pull(), 500).unref();
    });
  }

  /** Runs `task` after every earlier one: passes and loads never interleave. */
  #serial(task: () => Promise<void>): Promise<void> {
    this.#pending++;
    const run = this.#chain.then(task);
    this.#chain = run
      .catch(() => undefined)
      .finally(() => {
        this.#pending--;
      });
    return run;
  }

  /** Lists the records (setting the watch again) and applies the new ones. */
  async #pass(): Promise<void> {
    const [names, horizon] = await Promise.all([this.zk.getChildren(this.#path, this.#onWatch), this.#horizon()]);
    const fresh = names.map(sequenceOf).filter((sequence) => sequence > Math.max(this.#sequence, horizon));
    fresh.sort((a, b) => a - b);
    const records = await Promise.all(fresh.map((sequence) => this.#record(sequence)));
    const events = records.flatMap((record) => (record?.message == null ? [] : parseChangeMessage(record.message)));
    const last = Math.max(this.#sequence, horizon, fresh.at(-1) ?? -1);
    if (horizon > this.#sequence || records.includes(null)) {
      // Records this reader never saw are gone, or one is not a record: read everything.
      this.#sequence = last;
      await this.#reader.load();
      this.#reader.apply([], events);
      return;
    }
    const entries = (records as ChangeRecord[]).flatMap((record) => record.entries);
    const unread = [...new Set(entries.filter((entry) => entry.row === undefined).map((entry) => entry.id))];
    const read = new Map((await this.#reader.read(unread)).map((change) => [change.id, change]));
    const changes = entries.map((entry) => (entry.row === undefined ? (read.get(entry.id) as Change) : (entry as Change)));
    this.#sequence = last;
    this.#reader.apply(changes, events);
  }

  /** The newest record trimmed away, kept as the log znode's data; -1 before any trim. */
  async #horizon(): Promise<number> {
    const { data } = await this.zk.getData(this.#path);
    const text = (data ?? Buffer.alloc(0)).toString('utf8');
    return /^\d+$/.test(text) ? Number(text) : -1;
  }

  /** A record; null when it was trimmed before this reader read it, or is not a record. */
  async #record(sequence: number): Promise<ChangeRecord | null> {
    try {
      const { data } = await this.zk.getData(`${this.#path}/${recordName(sequence)}`);
      return decodeChange(data);
    } catch (error) {
      if (codeOf(error) === CODES.noNode) return null;
      throw error;
    }
  }

  /**
   * Deletes all but the newest KEPT records, raising the horizon in the same transaction (on the
   * log znode's version, so two stores trimming at once cannot lower it).
   */
  async #trim(): Promise<void> {
    const { stat } = await this.zk.getData(this.#path);
    const names = await this.zk.getChildren(this.#path);
    if (names.length <= KEPT + TRIM_EVERY) return;
    const doomed = names
      .map(sequenceOf)
      .sort((a, b) => a - b)
      .slice(0, names.length - KEPT);
    const horizon = doomed.at(-1) as number;
    for (let i = 0; i < doomed.length; i += 500) {
      const ops: MultiOp[] = doomed.slice(i, i + 500).map((sequence) => ({ type: 'remove', path: `${this.#path}/${recordName(sequence)}`, version: -1 }));
      if (i === 0) ops.unshift({ type: 'setData', path: this.#path, data: Buffer.from(String(horizon)), version: stat.version });
      await this.zk.commit(ops);
    }
  }
}
