import { decodeData, encodeData } from './codec.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { describeValue } from './describe.js';
import type { DriverEvent, LazyStoreDriver, ListPosition, ReleaseItem, ReleaseOutcome, StoreDriver, StoreDriverSource, StoredJob } from './driver.js';
import { ConflictingIdError, CorruptJobError, InvalidArgumentError, JobLookupError, LeaseLostError, StoreClosedError, VersionConflictError } from './errors.js';
import { assertJobId } from './ids.js';
import { resolveLogger, type Logger, type StoreOptions } from './logger.js';
import type { JobChanges, JobData, JobRecord, NewJob } from './job.js';
import type {
  AcquireOptions,
  JobPage,
  JobRelease,
  JobReleaseItem,
  JobStore,
  ListOptions,
  NotificationMode,
  ReleaseResult,
  StoreEvent,
  StoreListener,
  Unsubscribe,
  UpdateOptions,
} from './job-store.js';
import { assertInteger, assertOwner, kind, MAX_BATCH, MAX_LEASE_MS, toTime, toTimeOrNull } from './validate.js';

/** Rows fetched per round trip when a call must read everything (getAllJobs, getDueJobs). */
const READ_PAGE = 1000;

/**
 * The JobStore every backend package exposes: a {@link StoreDriver} does the storage, this class
 * does the rest once for all of them: argument checks, the codec, typed errors, events,
 * corrupt-record reporting and the closed state. {@link createJobStore} makes one without a
 * subclass; the backends written before it extend this class, which keeps working.
 */
export class BaseJobStore implements JobStore {
  readonly #source: StoreDriverSource;
  /** The driver once made: the source itself, or what a lazy source's connect returned. */
  #made: StoreDriver | undefined;
  readonly #logger: Logger;
  readonly #listeners = new Set<StoreListener>();
  #opening: Promise<void> | undefined;
  #closed = false;

  /**
   * `source` is the driver, or a {@link LazyStoreDriver} that makes it on first open; `options`
   * are those every store takes ({@link StoreOptions}); a store's own options extend them.
   */
  constructor(source: StoreDriverSource, options: StoreOptions = {}) {
    const owner = new.target === BaseJobStore ? describeSource(source) : new.target.name;
    if (!isDriver(source) && !isLazy(source)) {
      throw new InvalidArgumentError(`${owner}: expected a StoreDriver or a lazy driver ({ name, notifications, connect }), got ${describeValue(source)}`);
    }
    this.#source = source;
    this.#made = isDriver(source) ? source : undefined;
    this.#logger = resolveLogger(options.logger, owner);
  }

  get name(): string {
    return this.#source.name;
  }

  get notifications(): NotificationMode {
    // Once made, the driver knows best (a Mongo driver pushes only if open found a replica set).
    return (this.#made ?? this.#source).notifications;
  }

  /**
   * Connects and prepares storage now rather than on first use, so a misconfigured store fails
   * at startup. Every other method calls it; calling it again is free.
   */
  async open(): Promise<void> {
    await this.#ready('open');
  }

  async addJob(job: NewJob): Promise<JobRecord> {
    const op = 'addJob';
    const fields = checkFields(job, ['id', 'nextRunTime', 'data'], 'job', op);
    assertJobId(fields['id'], op, this.name);
    const id = fields['id'];
    if (!('nextRunTime' in fields)) throw this.#invalid(`${op}: nextRunTime is required (a Date, or null to add the job paused)`, id);
    const nextRunTime = toTimeOrNull(fields['nextRunTime'], 'nextRunTime', op);
    // Only absent data (or undefined, which checkFields drops) defaults to {}: null is refused by
    // encodeData with SerializationError, as updateJob and releaseJob refuse it.
    const data = encodeData(('data' in fields ? fields['data'] : {}) as JobData, id);
    await this.#ready(op);
    const row: StoredJob = { id, nextRunTime, data, version: 1, acquiredBy: null, acquiredUntil: null };
    if (!(await this.#driver().insert(row))) throw new ConflictingIdError(this.name, id, op);
    return this.#decode(row, op);
  }

  async updateJob(id: string, changes: JobChanges, options: UpdateOptions = {}): Promise<JobRecord> {
    const op = 'updateJob';
    assertJobId(id, op, this.name);
    const fields = checkFields(changes, ['nextRunTime', 'data'], 'changes', op);
    if (!('nextRunTime' in fields) && !('data' in fields)) throw this.#invalid(`${op}: changes must set nextRunTime, data or both`, id);
    const expected = versionOf(checkFields(options, ['expectedVersion'], 'options', op)['expectedVersion'], op);
    const rowChanges = {
      ...('nextRunTime' in fields ? { nextRunTime: toTimeOrNull(fields['nextRunTime'], 'nextRunTime', op) } : {}),
      ...('data' in fields ? { data: encodeData(fields['data'] as JobData, id) } : {}),
    };
    await this.#ready(op);
    const outcome = await this.#driver().update(id, rowChanges, expected);
    if (outcome.status === 'missing') throw new JobLookupError(this.name, id, op);
    if (outcome.status === 'conflict') throw new VersionConflictError(this.name, id, op, expected ?? 0, outcome.version);
    return this.#decode(outcome.row, `${op}, which was applied`);
  }

  async removeJob(id: string): Promise<void> {
    assertJobId(id, 'removeJob', this.name);
    await this.#ready('removeJob');
    if (!(await this.#driver().remove(id))) throw new JobLookupError(this.name, id, 'removeJob');
  }

  async removeAllJobs(): Promise<void> {
    await this.#ready('removeAllJobs');
    await this.#driver().removeAll();
  }

  async lookupJob(id: string): Promise<JobRecord | null> {
    assertJobId(id, 'lookupJob', this.name);
    await this.#ready('lookupJob');
    const row = await this.#driver().get(id);
    return row === null ? null : this.#decode(row, 'lookupJob');
  }

  async getAllJobs(): Promise<JobRecord[]> {
    await this.#ready('getAllJobs');
    return this.#readAll((after) => this.#driver().list(after, READ_PAGE), 'getAllJobs');
  }

  async listJobs(options: ListOptions = {}): Promise<JobPage> {
    const op = 'listJobs';
    const fields = checkFields(options, ['limit', 'cursor'], 'options', op);
    const limit = fields['limit'] ?? 1000;
    assertInteger(limit, 'limit', op, 1, MAX_BATCH);
    const cursor = fields['cursor'] ?? null;
    if (cursor !== null && typeof cursor !== 'string') throw this.#invalid(`${op}: cursor must be a string or null, got ${kind(cursor)}`);
    const after = cursor === null ? null : decodeCursor(cursor, op);
    await this.#ready('listJobs');
    // One row more than asked tells whether another page exists.
    const rows = await this.#driver().list(after, limit + 1);
    const page = rows.slice(0, limit);
    const jobs: JobRecord[] = [];
    const corrupt: CorruptJobError[] = [];
    for (const row of page) {
      // Reported in the page itself, so not again as an event.
      const record = this.#tryDecode(row, op, false);
      if (record instanceof CorruptJobError) corrupt.push(record);
      else jobs.push(record);
    }
    const last = page[page.length - 1];
    return { jobs, corrupt, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  async getDueJobs(now: Date): Promise<JobRecord[]> {
    const time = toTime(now, 'now', 'getDueJobs');
    await this.#ready('getDueJobs');
    return this.#readAll((after) => this.#driver().due(time, after, READ_PAGE), 'getDueJobs');
  }

  async getNextRunTime(): Promise<Date | null> {
    await this.#ready('getNextRunTime');
    const time = await this.#driver().nextRunTime();
    return time === null ? null : new Date(time);
  }

  async acquireDueJobs(options: AcquireOptions): Promise<JobRecord[]> {
    const op = 'acquireDueJobs';
    const fields = checkFields(options, ['owner', 'now', 'leaseMs', 'limit'], 'options', op);
    assertOwner(fields['owner'], op);
    const now = toTime(fields['now'], 'now', op);
    assertInteger(fields['leaseMs'], 'leaseMs', op, 1, MAX_LEASE_MS);
    assertInteger(fields['limit'], 'limit', op, 1, MAX_BATCH);
    await this.#ready('acquireDueJobs');
    const rows = await this.#driver().acquire(fields['owner'], now, now + fields['leaseMs'], fields['limit']);
    return this.#decodeAll(rows, op);
  }

  async releaseJob(id: string, owner: string, release: JobRelease): Promise<void> {
    const op = 'releaseJob';
    assertOwner(owner, op);
    const item = this.#releaseItem(id, release, op);
    await this.#ready(op);
    const error = this.#releaseError(item, owner, await this.#driver().release(id, owner, item.change, item.expectedVersion), op);
    if (error !== null) throw error;
  }

  async releaseJobs(owner: string, releases: readonly JobReleaseItem[]): Promise<ReleaseResult[]> {
    const op = 'releaseJobs';
    assertOwner(owner, op);
    if (!Array.isArray(releases)) throw this.#invalid(`${op}: releases must be an array, got ${kind(releases)}`);
    if (releases.length > MAX_BATCH) throw this.#invalid(`${op}: at most ${MAX_BATCH} releases per call, got ${releases.length}`);
    const items = releases.map((release: unknown) => {
      const { id, ...rest } = checkFields(release, ['id', 'nextRunTime', 'data', 'remove', 'expectedVersion'], 'release', op);
      return this.#releaseItem(id, rest, op);
    });
    if (new Set(items.map((item) => item.id)).size !== items.length) throw this.#invalid(`${op}: each job may appear once per call`);
    await this.#ready(op);
    if (items.length === 0) return [];
    const driver = this.#driver();
    const outcomes = driver.releaseMany ? await driver.releaseMany(owner, items) : await Promise.all(items.map((item) => driver.release(item.id, owner, item.change, item.expectedVersion)));
    return items.map((item, i) => ({ id: item.id, error: this.#releaseError(item, owner, outcomes[i] ?? { status: 'missing' }, op) }));
  }

  /** Validates one release and encodes its data; nothing is written. */
  #releaseItem(id: unknown, release: unknown, op: string): ReleaseItem {
    assertJobId(id, op, this.name);
    const fields = checkFields(release, ['nextRunTime', 'data', 'remove', 'expectedVersion'], 'release', op);
    const expectedVersion = versionOf(fields['expectedVersion'], op);
    if ('remove' in fields) {
      if (fields['remove'] !== true || 'nextRunTime' in fields || 'data' in fields) {
        throw this.#invalid(`${op}: release is either { remove: true } or { nextRunTime, data? }`, id);
      }
      return { id, change: 'remove', expectedVersion };
    }
    if (!('nextRunTime' in fields)) throw this.#invalid(`${op}: release needs nextRunTime (a Date, or null to pause) or remove: true`, id);
    const nextRunTime = toTimeOrNull(fields['nextRunTime'], 'nextRunTime', op);
    const change = 'data' in fields ? { nextRunTime, data: encodeData(fields['data'] as JobData, id) } : { nextRunTime };
    return { id, change, expectedVersion };
  }

  #releaseError(item: ReleaseItem, owner: string, outcome: ReleaseOutcome, op: string): ReleaseResult['error'] {
    switch (outcome.status) {
      case 'ok':
        return null;
      case 'missing':
        return new JobLookupError(this.name, item.id, op);
      case 'lost':
        return new LeaseLostError(this.name, item.id, op, owner, outcome.holder);
      case 'conflict':
        return new VersionConflictError(this.name, item.id, op, item.expectedVersion ?? 0, outcome.version);
    }
  }

  async extendLeases(ids: readonly string[], owner: string, leaseMs: number, now: Date): Promise<string[]> {
    const op = 'extendLeases';
    if (!Array.isArray(ids)) throw this.#invalid(`${op}: ids must be an array of job ids, got ${kind(ids)}`);
    if (ids.length > MAX_BATCH) throw this.#invalid(`${op}: at most ${MAX_BATCH} ids per call, got ${ids.length}`);
    for (const id of ids) assertJobId(id, op, this.name);
    assertOwner(owner, op);
    assertInteger(leaseMs, 'leaseMs', op, 1, MAX_LEASE_MS);
    const time = toTime(now, 'now', op);
    await this.#ready('extendLeases');
    if (ids.length === 0) return [];
    return this.#driver().extend([...new Set(ids)], owner, time + leaseMs);
  }

  subscribe(listener: StoreListener): Unsubscribe {
    this.#assertOpen('subscribe');
    if (typeof listener !== 'function') throw this.#invalid(`subscribe: listener must be a function, got ${kind(listener)}`);
    // A wrapper per call, so subscribing one function twice gives two independent subscriptions.
    const entry: StoreListener = (event) => listener(event);
    this.#listeners.add(entry);
    // Listening starts now, not at the next call; a failure here surfaces at the next call.
    this.#ready('subscribe').catch(() => undefined);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    // Once open settled: a driver that a lazy source never made has nothing to close.
    await this.#opening?.catch(() => undefined);
    await this.#made?.close();
  }

  // ---- shared machinery ------------------------------------------------------------------

  /** Throws if closed; otherwise makes (if lazy) and opens the driver once, again after a failed attempt. */
  async #ready(operation: string): Promise<void> {
    this.#assertOpen(operation);
    this.#opening ??= this.#open().catch((error: unknown) => {
      this.#opening = undefined; // the next call tries again
      throw error;
    });
    await this.#opening;
  }

  async #open(): Promise<void> {
    // A driver made by a failed attempt is kept and opened again: its pool is reused, not leaked.
    this.#made ??= await (this.#source as LazyStoreDriver).connect();
    await this.#made.open((event) => this.#deliver(event), this.#logger);
  }

  /** The driver; every caller has awaited #ready, so it has been made. */
  #driver(): StoreDriver {
    if (this.#made === undefined) throw new Error(`${this.name}: the driver was used before it was made`);
    return this.#made;
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new StoreClosedError(this.name, operation);
  }

  #invalid(message: string, jobId?: string): InvalidArgumentError {
    return new InvalidArgumentError(message, jobId === undefined ? { store: this.name } : { store: this.name, jobId });
  }

  async #readAll(read: (after: ListPosition | null) => Promise<StoredJob[]>, operation: string): Promise<JobRecord[]> {
    const out: JobRecord[] = [];
    let after: ListPosition | null = null;
    for (;;) {
      const rows = await read(after);
      out.push(...this.#decodeAll(rows, operation));
      if (rows.length < READ_PAGE) return out;
      after = rows[rows.length - 1] ?? null;
    }
  }

  #decodeAll(rows: readonly StoredJob[], operation: string): JobRecord[] {
    const out: JobRecord[] = [];
    for (const row of rows) {
      const record = this.#tryDecode(row, operation);
      if (!(record instanceof CorruptJobError)) out.push(record);
    }
    return out;
  }

  /** Decodes a row, or returns (and reports) the error for a corrupt one; the row is left as stored. */
  #tryDecode(row: StoredJob, operation: string, report = true): JobRecord | CorruptJobError {
    try {
      return this.#decode(row, operation);
    } catch (error) {
      if (!(error instanceof CorruptJobError)) throw error;
      if (report) this.#report(error);
      return error;
    }
  }

  #decode(row: StoredJob, operation: string): JobRecord {
    let data: JobData;
    try {
      data = decodeData(row.data);
    } catch (error) {
      throw new CorruptJobError(this.name, row.id, operation, error);
    }
    return {
      id: row.id,
      nextRunTime: row.nextRunTime === null ? null : new Date(row.nextRunTime),
      data,
      version: row.version,
      acquiredBy: row.acquiredBy,
      acquiredUntil: row.acquiredUntil === null ? null : new Date(row.acquiredUntil),
    };
  }

  #report(error: CorruptJobError): void {
    if (this.#listeners.size === 0) {
      // Nobody listens: say it somewhere rather than pass the record by in silence.
      this.#logger.warn(error.message, { store: this.name, jobId: error.jobId, operation: error.operation });
      return;
    }
    this.#emit({ type: 'corrupt', jobId: error.jobId ?? '', error });
  }

  #deliver(event: DriverEvent): void {
    if (this.#closed) return;
    switch (event.type) {
      case 'removed':
      case 'cleared':
        this.#emit(event);
        return;
      default:
        this.#emit({ type: event.type, jobId: event.jobId, nextRunTime: event.nextRunTime === null ? null : new Date(event.nextRunTime) });
    }
  }

  /** Listeners run later, never inside a store call, and a throwing listener harms nobody. */
  #emit(event: StoreEvent): void {
    if (this.#listeners.size === 0) return;
    const listeners = [...this.#listeners];
    queueMicrotask(() => {
      for (const listener of listeners) {
        if (!this.#listeners.has(listener)) continue;
        try {
          listener(event);
        } catch (error) {
          const article = /^[aeiou]/.test(event.type) ? 'an' : 'a';
          this.#logger.error(`a listener of store ${JSON.stringify(this.name)} threw on ${article} ${event.type} event: ${error instanceof Error ? error.message : describeValue(error)}`, {
            store: this.name,
            event: event.type,
            error,
          });
        }
      }
    });
  }
}

function versionOf(value: unknown, operation: string): number | undefined {
  if (value === undefined) return undefined;
  assertInteger(value, 'expectedVersion', operation, 1, Number.MAX_SAFE_INTEGER);
  return value;
}

/**
 * Checks that `value` is a plain object with only `allowed` keys, so that a misspelt option
 * (`nextRuntime`) is refused instead of silently ignored. Returns it as a record to read from;
 * a key explicitly set to undefined counts as absent.
 */
function checkFields(value: unknown, allowed: readonly string[], what: string, operation: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`${operation}: ${what} must be an object, got ${kind(value)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!allowed.includes(key)) throw new InvalidArgumentError(`${operation}: unknown field ${JSON.stringify(key)} in ${what} (expected ${allowed.join(', ')})`);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

function isDriver(source: unknown): source is StoreDriver {
  return typeof source === 'object' && source !== null && typeof (source as StoreDriver).open === 'function' && hasIdentity(source);
}

function isLazy(source: unknown): source is LazyStoreDriver {
  return typeof source === 'object' && source !== null && typeof (source as LazyStoreDriver).connect === 'function' && hasIdentity(source);
}

function hasIdentity(source: object): boolean {
  const { name, notifications } = source as { name?: unknown; notifications?: unknown };
  return typeof name === 'string' && (notifications === 'push' || notifications === 'poll');
}

/** For a message about a store made without a subclass: its name, when it has one. */
function describeSource(source: unknown): string {
  const name = typeof source === 'object' && source !== null ? (source as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `store ${JSON.stringify(name)}` : 'createJobStore';
}
