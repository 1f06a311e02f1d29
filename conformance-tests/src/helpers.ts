import type { JobData, JobRecord, JobStore, StoreEvent, StoredJob } from '@jobstore/core';
import { expect, vi } from 'vitest';

/** The suite's clock: every time is an offset from T0 and passed in, never read from the wall. */
export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0, 0);

export function at(offsetMs: number): Date {
  return new Date(T0 + offsetMs);
}

/** Adds jobs `id` due at T0 + offset (null: paused). */
export async function addJobs(store: JobStore, jobs: ReadonlyArray<readonly [id: string, offsetMs: number | null, data?: JobData]>): Promise<void> {
  for (const [id, offset, data] of jobs) {
    await store.addJob({ id, nextRunTime: offset === null ? null : at(offset), data: data ?? {} });
  }
}

/** Adds `count` jobs named `${prefix}${i}` with up to `parallel` calls in flight. */
export async function addMany(store: JobStore, count: number, time: (i: number) => Date | null, prefix = 'job-', parallel = 50): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
  for (let start = 0; start < count; start += parallel) {
    await Promise.all(ids.slice(start, start + parallel).map((id, k) => store.addJob({ id, nextRunTime: time(start + k), data: { n: start + k } })));
  }
  return ids;
}

export function ids(records: readonly JobRecord[]): string[] {
  return records.map((record) => record.id);
}

/**
 * Rejects with an instance of `type` whose message matches, if given. `rule` is what a backend
 * author reads when it fails: the behaviour required and what to do about it.
 */
export async function expectError<T extends Error>(promise: Promise<unknown> | (() => unknown), type: abstract new (...args: never[]) => T, message?: RegExp | string, rule?: string): Promise<T> {
  let error: unknown;
  let settled = 'resolved';
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (caught) {
    error = caught;
    settled = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  expect(error, `${rule ?? `expected a ${type.name}`} (the call ${settled})`).toBeInstanceOf(type);
  if (message !== undefined) expect((error as Error).message, rule).toMatch(message);
  return error as T;
}

/**
 * Retries `check` until it stops throwing or `timeoutMs` runs out, and returns what it returned.
 *
 * @deprecated Use vitest's `vi.waitFor(check, { timeout, interval })`, which this now calls; kept
 * so that tests written against earlier versions still run.
 */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 10): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: intervalMs });
}

/** Subscribes and keeps what arrives. */
export function record(store: JobStore): StoreEvent[] {
  const events: StoreEvent[] = [];
  store.subscribe((event) => events.push(event));
  return events;
}

/** A row whose data no codec wrote. */
export function corruptRow(id: string, nextRunTime: Date | null, data = '{"v":1,"d":{"$t":"no-such-tag","v":1}}'): StoredJob {
  return { id, nextRunTime: nextRunTime === null ? null : nextRunTime.getTime(), data, version: 1, acquiredBy: null, acquiredUntil: null };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
