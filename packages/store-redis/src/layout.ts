import { InvalidArgumentError, type StoredJob } from '@jobstore/core';

/** The keys and channel of one store: `<prefix>:{<namespace>}:<name>`; the braces are a Redis Cluster hash tag. */
export interface RedisKeys {
  readonly jobs: string;
  readonly due: string;
  readonly paused: string;
  readonly owners: string;
  readonly leases: string;
  readonly channel: string;
  /** Written when the store opens the namespace and never deleted by it: its absence means the namespace was emptied behind the store's back. */
  readonly marker: string;
  /** In the order the scripts take them (the marker is not among them). */
  readonly all: readonly string[];
}

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

export function redisKeys(prefix: string, namespace: string): RedisKeys {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new InvalidArgumentError(`RedisJobStore: prefix ${JSON.stringify(prefix)} is not valid: use 1 to 64 letters, digits and _ . : - (no braces: the store adds its own hash tag)`);
  }
  const base = `${prefix}:{${namespace}}`;
  const keys = { jobs: `${base}:jobs`, due: `${base}:due`, paused: `${base}:paused`, owners: `${base}:owners`, leases: `${base}:leases` };
  return { ...keys, channel: `${base}:events`, marker: `${base}:marker`, all: [keys.jobs, keys.due, keys.paused, keys.owners, keys.leases] };
}

/** Times are kept as 15-digit strings: they sort lexically as numbers do. */
export function padTime(time: number | null): string {
  return time === null ? '' : String(time).padStart(15, '0');
}

/** A row as the scripts return it: id, version, padded time, data, owner, lease end (empty when none). */
export type RawRow = [string, string, string, string, string, string];

export function toStoredJob(row: RawRow): StoredJob {
  const [id, version, time, data, owner, until] = row;
  return {
    id,
    nextRunTime: time === '' ? null : Number(time),
    data,
    version: Number(version),
    acquiredBy: owner === '' ? null : owner,
    acquiredUntil: until === '' ? null : Number(until),
  };
}
