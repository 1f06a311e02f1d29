import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processJob, releaseTimes, type ReleaseEntry } from './release-log.js';

/** One run, as the job wrote it. */
export interface LedgerEntry {
  readonly jobId: string;
  readonly fireTime: number;
  readonly pid: number;
  /** When the run began, by the harness's clock (clock.ts). */
  readonly startedAt: number;
}

export function readLedger(dir: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const name of readdirSync(dir).filter((file) => file.startsWith('ledger-'))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue;
      const [jobId, fireTime, pid, startedAt] = line.split('\t');
      entries.push({ jobId: jobId ?? '', fireTime: Number(fireTime), pid: Number(pid), startedAt: Number(startedAt) });
    }
  }
  return entries;
}

/** One kill as the ledger shows it. */
export interface KillOutcome {
  readonly pid: number;
  /** Runs of the killed process that were in flight: begun, their job not released before it died. */
  readonly inFlight: number;
  /** Of its runs, those that ran again elsewhere (explained repeats). */
  readonly repeated: number;
}

/** What ran, against what was scheduled. */
export interface LedgerCheck {
  readonly fireTimes: number;
  readonly ran: number;
  /** Scheduled fire times with no run. */
  readonly missed: readonly string[];
  /**
   * Fire times run more than once where each run but the last was in flight in a process killed
   * before the next began: the documented at-least-once case.
   */
  readonly explainedDuplicates: number;
  /** Fire times run more than once any other way. */
  readonly unexplainedDuplicates: readonly string[];
  /** Runs for fire times that were never scheduled. */
  readonly unexpected: readonly string[];
  /** How many processes ran jobs. */
  readonly processes: number;
  /** Each kill: how many runs it caught in flight, and how many of them ran again. */
  readonly kills: readonly KillOutcome[];
}

const label = (jobId: string, time: number): string => `${jobId}@${new Date(time).toISOString()}`;

/**
 * Whether `run` was in flight when its process was killed: its job was not released after it
 * began (a killed process writes nothing more, so any release after the run came before the kill).
 */
function inFlight(run: LedgerEntry, kills: ReadonlyMap<number, number>, released: ReadonlyMap<string, readonly number[]>): boolean {
  if (!kills.has(run.pid)) return false;
  return !(released.get(processJob(run)) ?? []).some((at) => at > run.startedAt);
}

/**
 * Why the runs of one fire time (by start) are not the at-least-once case, or null when they
 * are: each run but the last was in flight in a process that was killed, and the next run began
 * only after that kill. A run again while its first process lived (its lease ran out under it),
 * or after its job had been released, is a failure even if that process was killed later.
 */
function unexplained(list: readonly LedgerEntry[], kills: ReadonlyMap<number, number>, released: ReadonlyMap<string, readonly number[]>): string | null {
  for (let i = 0; i + 1 < list.length; i++) {
    const run = list[i] as LedgerEntry;
    const next = list[i + 1] as LedgerEntry;
    const killedAt = kills.get(run.pid);
    if (killedAt === undefined) return `pid ${run.pid} was never killed`;
    if (!inFlight(run, kills, released)) return `pid ${run.pid} had released the job before it was killed`;
    if (next.startedAt < killedAt) return `pid ${next.pid} ran it ${Math.round(killedAt - next.startedAt)} ms before pid ${run.pid} was killed`;
  }
  return null;
}

/**
 * Checks the ledger against the schedule. `kills` holds the pids that were killed, each with the
 * time SIGKILL went out (clock.ts), and `releases` what each process's store confirmed releasing: a process killed after a run began
 * but before it released the job leaves the fire time to run again elsewhere once the lease
 * ends, so such a repeat is counted apart, not as a failure. Any other repeat is a failure.
 */
export function checkLedger(
  expected: ReadonlyMap<string, readonly number[]>,
  entries: readonly LedgerEntry[],
  kills: ReadonlyMap<number, number> = new Map(),
  releases: readonly ReleaseEntry[] = [],
): LedgerCheck {
  const released = releaseTimes(releases);
  const repeatedBy = new Map<number, number>();
  const runs = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.jobId}\u0000${entry.fireTime}`;
    const list = runs.get(key);
    if (list === undefined) runs.set(key, [entry]);
    else list.push(entry);
  }
  const missed: string[] = [];
  const failed: string[] = [];
  let explained = 0;
  let fireTimes = 0;
  for (const [jobId, times] of expected) {
    for (const time of times) {
      fireTimes++;
      const key = `${jobId}\u0000${time}`;
      const list = runs.get(key);
      runs.delete(key);
      if (list === undefined) {
        missed.push(label(jobId, time));
        continue;
      }
      if (list.length === 1) continue;
      const ordered = [...list].sort((a, b) => a.startedAt - b.startedAt);
      const why = unexplained(ordered, kills, released);
      if (why === null) {
        explained++;
        for (const entry of ordered.slice(0, -1)) repeatedBy.set(entry.pid, (repeatedBy.get(entry.pid) ?? 0) + 1);
      } else failed.push(`${label(jobId, time)} ran ${list.length} times (pids ${ordered.map((entry) => entry.pid).join(', ')}): ${why}`);
    }
  }
  const unexpected = [...runs.values()].map((list) => label(list[0]?.jobId ?? '', list[0]?.fireTime ?? 0));
  const caught = new Map<number, number>();
  for (const entry of entries) if (inFlight(entry, kills, released)) caught.set(entry.pid, (caught.get(entry.pid) ?? 0) + 1);
  const killOutcomes = [...kills.keys()].map((pid) => ({ pid, inFlight: caught.get(pid) ?? 0, repeated: repeatedBy.get(pid) ?? 0 }));
  return {
    fireTimes,
    ran: entries.length,
    missed,
    explainedDuplicates: explained,
    unexplainedDuplicates: failed,
    unexpected,
    processes: new Set(entries.map((entry) => entry.pid)).size,
    kills: killOutcomes,
  };
}
