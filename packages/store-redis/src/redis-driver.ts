import {
  guardTransient,
  parseChangeMessage,
  type DriverEvent,
  type ListPosition,
  type Logger,
  type ReleaseItem,
  type ReleaseOutcome,
  type RowChanges,
  type RowRelease,
  type StoreDriver,
  type StoredJob,
  type WriteOutcome,
} from '@jobstore/core';
import type { Cluster, Redis } from 'ioredis';
import { padTime, toStoredJob, type RawRow, type RedisKeys } from './layout.js';
import { LossWatch } from './loss-watch.js';
import { checkPersistence } from './persistence-check.js';
import { LuaScript } from './script-runner.js';
import * as lua from './scripts.js';
import { isTransient } from './transient.js';

const SCRIPTS = {
  add: new LuaScript(lua.ADD),
  update: new LuaScript(lua.UPDATE),
  remove: new LuaScript(lua.REMOVE),
  clear: new LuaScript(lua.CLEAR),
  get: new LuaScript(lua.GET),
  scheduled: new LuaScript(lua.SCHEDULED),
  paused: new LuaScript(lua.PAUSED),
  next: new LuaScript(lua.NEXT),
  acquire: new LuaScript(lua.ACQUIRE),
  release: new LuaScript(lua.RELEASE),
  extend: new LuaScript(lua.EXTEND),
};

/** What the driver needs besides its keys. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  /** Connects a client of the store's own making (not a caller's). */
  connect(): Promise<void>;
  /** A second connection for SUBSCRIBE, which takes a connection over. */
  subscriber(): Promise<Redis | Cluster>;
  /** Ends what the store opened itself. */
  close(): Promise<void>;
}

/**
 * The StoreDriver over Redis: each call is one Lua script on keys that share one hash tag, so
 * it is atomic on a single server and on Redis Cluster; changes are PUBLISHed by the same
 * scripts and heard on a subscriber connection that ioredis re-subscribes after a reconnect.
 */
export class RedisDriver implements StoreDriver {
  readonly name: string;
  readonly notifications = 'push' as const;
  readonly #keys: RedisKeys;
  readonly #connection: RedisConnection;
  readonly #namespace: string;
  readonly #lossWatch: LossWatch;
  #subscriber: Redis | Cluster | undefined;
  #watching = false;

  constructor(name: string, namespace: string, keys: RedisKeys, connection: RedisConnection) {
    this.name = name;
    this.#namespace = namespace;
    this.#keys = keys;
    this.#connection = connection;
    this.#lossWatch = new LossWatch(name, namespace, keys.marker);
  }

  async open(deliver: (event: DriverEvent) => void, logger: Logger): Promise<void> {
    await this.#guard('open', async () => {
      await this.#connection.connect();
      if (this.#subscriber === undefined) {
        const subscriber = await this.#connection.subscriber();
        subscriber.on('message', (channel: string, message: string) => {
          if (channel === this.#keys.channel) for (const event of parseChangeMessage(message)) deliver(event);
        });
        await subscriber.subscribe(this.#keys.channel);
        this.#subscriber = subscriber;
      }
      if (this.#watching) return;
      const client = this.#connection.client;
      await this.#lossWatch.start(client, logger);
      this.#watching = true;
      await checkPersistence(client, this.name, this.#namespace, logger);
    });
  }

  async close(): Promise<void> {
    this.#lossWatch.stop();
    this.#subscriber?.disconnect();
    await this.#connection.close();
  }

  #run<T>(operation: string, script: LuaScript, args: readonly (string | number)[]): Promise<T> {
    return this.#guard(operation, () => script.run<T>(this.#connection.client, this.#keys.all, args));
  }

  #guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardTransient(this.name, operation, isTransient, work);
  }

  async insert(row: StoredJob): Promise<boolean> {
    return (await this.#run<number>('addJob', SCRIPTS.add, [row.id, padTime(row.nextRunTime), row.data, this.#keys.channel])) === 1;
  }

  async update(id: string, changes: RowChanges, expectedVersion: number | undefined): Promise<WriteOutcome> {
    const setTime = 'nextRunTime' in changes;
    const result = await this.#run<[string, RawRow | string]>('updateJob', SCRIPTS.update, [
      id,
      setTime ? '1' : '0',
      padTime(changes.nextRunTime ?? null),
      changes.data === undefined ? '0' : '1',
      changes.data ?? '',
      expectedVersion ?? '',
      this.#keys.channel,
    ]);
    if (result[0] === 'missing') return { status: 'missing' };
    if (result[0] === 'conflict') return { status: 'conflict', version: Number(result[1]) };
    return { status: 'ok', row: toStoredJob(result[1] as RawRow) };
  }

  async remove(id: string): Promise<boolean> {
    return (await this.#run<number>('removeJob', SCRIPTS.remove, [id, this.#keys.channel])) === 1;
  }

  async removeAll(): Promise<void> {
    await this.#run('removeAllJobs', SCRIPTS.clear, [this.#keys.channel]);
  }

  async get(id: string): Promise<StoredJob | null> {
    const row = await this.#run<RawRow | null>('lookupJob', SCRIPTS.get, [id]);
    return row === null ? null : toStoredJob(row);
  }

  async list(after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    const out: StoredJob[] = [];
    if (after === null || after.nextRunTime !== null) out.push(...(await this.#scheduled('listJobs', after, '+', limit)));
    if (out.length < limit) {
      const from = after !== null && after.nextRunTime === null ? `(${after.id}` : '-';
      const rows = await this.#run<RawRow[]>('listJobs', SCRIPTS.paused, [from, limit - out.length]);
      out.push(...rows.map(toStoredJob));
    }
    return out;
  }

  due(now: number, after: ListPosition | null, limit: number): Promise<StoredJob[]> {
    return this.#scheduled('getDueJobs', after, `(${padTime(now + 1)}`, limit);
  }

  async #scheduled(operation: string, after: ListPosition | null, upper: string, limit: number): Promise<StoredJob[]> {
    const lower = after === null ? '-' : `(${padTime(after.nextRunTime)}\0${after.id}`;
    const rows = await this.#run<RawRow[]>(operation, SCRIPTS.scheduled, [lower, upper, limit]);
    return rows.map(toStoredJob);
  }

  async nextRunTime(): Promise<number | null> {
    const next = await this.#run<string | null>('getNextRunTime', SCRIPTS.next, []);
    return next === null ? null : Number(next);
  }

  async acquire(owner: string, now: number, leaseUntil: number, limit: number): Promise<StoredJob[]> {
    const rows = await this.#run<RawRow[]>('acquireDueJobs', SCRIPTS.acquire, [owner, now, leaseUntil, limit, `(${padTime(now + 1)}`]);
    return rows.map(toStoredJob);
  }

  async release(id: string, owner: string, change: RowRelease, expectedVersion: number | undefined): Promise<ReleaseOutcome> {
    const [outcome] = await this.releaseMany(owner, [{ id, change, expectedVersion }]);
    return outcome ?? { status: 'missing' };
  }

  async releaseMany(owner: string, items: readonly ReleaseItem[]): Promise<ReleaseOutcome[]> {
    const args: (string | number)[] = [owner, this.#keys.channel];
    for (const { id, change, expectedVersion } of items) {
      if (change === 'remove') args.push(id, 'r', '', '', '0', expectedVersion ?? '');
      else args.push(id, 'n', padTime(change.nextRunTime), change.data ?? '', change.data === undefined ? '0' : '1', expectedVersion ?? '');
    }
    const outcomes = await this.#run<string[]>('releaseJobs', SCRIPTS.release, args);
    return outcomes.map((outcome): ReleaseOutcome => {
      if (outcome === 'ok') return { status: 'ok' };
      if (outcome === 'missing') return { status: 'missing' };
      if (outcome.startsWith('lost:')) return { status: 'lost', holder: outcome.length > 5 ? outcome.slice(5) : null };
      return { status: 'conflict', version: Number(outcome.slice('conflict:'.length)) };
    });
  }

  extend(ids: readonly string[], owner: string, leaseUntil: number): Promise<string[]> {
    return this.#run<string[]>('extendLeases', SCRIPTS.extend, [owner, leaseUntil, ...ids]);
  }
}
