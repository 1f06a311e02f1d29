import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each run, as the consumers wrote it: the job id and when it started (epoch ms, fractional). */
export interface Run {
  readonly id: string;
  readonly at: number;
}

export function readRuns(dir: string): Run[] {
  const runs: Run[] = [];
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) runs.push({ id: line.slice(0, tab), at: Number(line.slice(tab + 1)) });
    }
  }
  return runs;
}

/** Which of the expected ids ran, how many ran more than once, which never ran. */
export function tally(expected: readonly string[], runs: readonly Run[]): { first: Map<string, number>; duplicates: number; missed: number; unexpected: number } {
  const wanted = new Set(expected);
  const first = new Map<string, number>();
  let duplicates = 0;
  let unexpected = 0;
  for (const run of runs) {
    if (!wanted.has(run.id)) unexpected++;
    else if (first.has(run.id)) duplicates++;
    else first.set(run.id, run.at);
  }
  return { first, duplicates, missed: expected.length - first.size, unexpected };
}
