import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobStore } from '@jobstore/core';
import { preciseNow } from './clock.js';
import type { LedgerEntry } from './ledger.js';

/**
 * The store, passed through, with every release it confirmed appended to `file` as
 * `job id, time` lines (written once releaseJobs has returned, so the release is committed by
 * then). With the ledger this tells which runs were still in flight when a process was killed:
 * begun, and their job not yet released. Only those may run again elsewhere.
 */
export function logReleases(store: JobStore, file: string): JobStore {
  const releaseJobs: JobStore['releaseJobs'] = async (owner, releases) => {
    const results = await store.releaseJobs(owner, releases);
    const at = preciseNow();
    const lines = results.filter((result) => result.error === null).map((result) => `${result.id}\t${at}\n`);
    if (lines.length > 0) appendFileSync(file, lines.join(''));
    return results;
  };
  const releaseJob: JobStore['releaseJob'] = async (id, owner, release) => {
    await store.releaseJob(id, owner, release);
    appendFileSync(file, `${id}\t${preciseNow()}\n`);
  };
  // The stores keep their state in private fields: every other call goes to the store itself.
  return new Proxy(store, {
    get(target, property) {
      if (property === 'releaseJobs') return releaseJobs;
      if (property === 'releaseJob') return releaseJob;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A release a process's store confirmed, as logReleases wrote it: the job's next fire time, or its removal, was written by `at`. */
export interface ReleaseEntry {
  readonly jobId: string;
  readonly pid: number;
  readonly at: number;
}

export function readReleases(dir: string): ReleaseEntry[] {
  const releases: ReleaseEntry[] = [];
  for (const name of readdirSync(dir).filter((file) => /^released-\d+\.tsv$/.test(file))) {
    const pid = Number(name.slice('released-'.length, -'.tsv'.length));
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue;
      const [jobId, at] = line.split('\t');
      releases.push({ jobId: jobId ?? '', pid, at: Number(at) });
    }
  }
  return releases;
}

/** The key of one job in one process. */
export const processJob = (entry: { readonly pid: number; readonly jobId: string }): string => `${entry.pid}\u0000${entry.jobId}`;

/** When each process released each job. */
export function releaseTimes(releases: readonly ReleaseEntry[]): Map<string, number[]> {
  const released = new Map<string, number[]>();
  for (const release of releases) {
    const list = released.get(processJob(release));
    if (list === undefined) released.set(processJob(release), [release.at]);
    else list.push(release.at);
  }
  return released;
}

/**
 * For every run whose process released its job afterwards: how long after the run began the
 * release was confirmed, in ms, sorted. The window in which a kill would have made it repeat.
 */
export function releaseLags(entries: readonly LedgerEntry[], releases: readonly ReleaseEntry[]): number[] {
  const released = releaseTimes(releases);
  const lags: number[] = [];
  for (const run of entries) {
    const after = (released.get(processJob(run)) ?? []).filter((at) => at > run.startedAt);
    if (after.length > 0) lags.push(Math.min(...after) - run.startedAt);
  }
  return lags.sort((a, b) => a - b);
}
