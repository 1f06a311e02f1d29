import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One run, as the job wrote it. */
export interface LedgerEntry {
  readonly jobId: string;
  readonly fireTime: number;
  readonly pid: number;
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

/** What ran, against what was scheduled. */
export interface LedgerCheck {
  readonly fireTimes: number;
  readonly ran: number;
  /** Scheduled fire times with no run. */
  readonly missed: readonly string[];
  /** Fire times run more than once where every extra run came from a process killed later: the documented at-least-once case. */
  readonly explainedDuplicates: number;
  /** Fire times run more than once any other way. */
  readonly unexplainedDuplicates: readonly string[];
  /** Runs for fire times that were never scheduled. */
  readonly unexpected: readonly string[];
  /** How many processes ran jobs. */
  readonly processes: number;
}

const label = (jobId: string, time: number): string => `${jobId}@${new Date(time).toISOString()}`;

/**
 * Checks the ledger against the schedule. `killed` holds the pids that were killed: a process
 * killed after a run began but before it released the job leaves the fire time to run again
 * elsewhere once the lease ends, so such a repeat is counted apart, not as a failure.
 */
export function checkLedger(expected: ReadonlyMap<string, readonly number[]>, entries: readonly LedgerEntry[], killed: ReadonlySet<number> = new Set()): LedgerCheck {
  const runs = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.jobId}\u0000${entry.fireTime}`;
    const list = runs.get(key);
    if (list === undefined) runs.set(key, [entry]);
    else list.push(entry);
  }
  const missed: string[] = [];
  const unexplained: string[] = [];
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
      // At most one run may come from a process that lived on; the others must have died with theirs.
      const survivors = list.filter((entry) => !killed.has(entry.pid)).length;
      if (survivors <= 1) explained++;
      else unexplained.push(`${label(jobId, time)} ran ${list.length} times (pids ${list.map((entry) => entry.pid).join(', ')})`);
    }
  }
  const unexpected = [...runs.values()].map((list) => label(list[0]?.jobId ?? '', list[0]?.fireTime ?? 0));
  return { fireTimes, ran: entries.length, missed, explainedDuplicates: explained, unexplainedDuplicates: unexplained, unexpected, processes: new Set(entries.map((entry) => entry.pid)).size };
}
