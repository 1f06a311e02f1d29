/**
 * The figures table. Each scenario run with JOBSTORE_RELIABILITY_WRITE=1 records one row per
 * backend in results/<mode>/; `node dist/results.js` writes RESULTS.md from all of them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mode } from './mode.js';

export interface ResultRow {
  readonly scenario: 'load' | 'crash' | 'restart' | 'hostile' | 'corrupt';
  readonly backend: string;
  readonly mode: Mode;
  readonly processes: number;
  readonly jobs: number;
  readonly fireTimes: number;
  /** What was done to the run: `12 kills`, `3 server restarts`, `20 corrupt records`. */
  readonly faults: string;
  readonly missed: number;
  /** Repeats of a fire time whose run died with a killed process (the documented at-least-once case). */
  readonly explainedDuplicates: number;
  readonly unexplainedDuplicates: number;
  readonly inputsTried: number;
  /** Crashes, hangs, wrong answers, lost or changed records: anything that is not allowed. */
  readonly failures: number;
  readonly seconds: number;
  readonly date: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function recordResult(row: ResultRow): void {
  if (process.env['JOBSTORE_RELIABILITY_WRITE'] !== '1') return;
  const dir = join(ROOT, 'results', row.mode);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${row.scenario}-${row.backend}.json`), `${JSON.stringify(row, null, 2)}\n`);
}

const ORDER = ['load', 'crash', 'restart', 'corrupt', 'hostile'];
const COMMANDS: Record<Mode, string> = {
  long: 'pnpm --filter @jobstore/reliability run long',
  ci: 'JOBSTORE_RELIABILITY_WRITE=1 pnpm --filter @jobstore/reliability run ci',
};

function table(rows: ResultRow[]): string {
  const head = '| scenario | backend | processes | jobs | fire times | faults injected | missed | duplicated (explained) | duplicated (unexplained) | inputs tried | failures | seconds | date |';
  const rule = '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const lines = rows
    .sort((a, b) => ORDER.indexOf(a.scenario) - ORDER.indexOf(b.scenario) || a.backend.localeCompare(b.backend))
    .map(
      (r) =>
        `| ${r.scenario} | ${r.backend} | ${r.processes} | ${fmt(r.jobs)} | ${fmt(r.fireTimes)} | ${r.faults} | ${r.missed} | ${r.explainedDuplicates} | ${r.unexplainedDuplicates} | ${fmt(r.inputsTried)} | ${r.failures} | ${r.seconds} | ${r.date} |`,
    );
  return [head, rule, ...lines].join('\n');
}

function readRows(mode: Mode, root: string): ResultRow[] {
  const dir = join(root, 'results', mode);
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ResultRow);
  } catch {
    return [];
  }
}

const DEFAULT_NOTES = `## Notes

- Explained repeats follow from how a job with \`maxInstances: 1\` is delivered: its lease is held
  while it runs and until its release is written, and releases go out in batches. A process killed
  in that window leaves its jobs to run again once their leases end (3 s here). A repeat counts as
  explained only when the run was in flight at a kill (its process's store had not confirmed the
  release) and the new run began after that kill. ZooKeeper's releases used to wait for their own
  change record (whole releases took 150-1,500 ms) and its slow claims let leases lapse under live
  processes; since issue 17 a release plans on the store's index and a claim that took more than a
  third of the lease renews it, and ZooKeeper repeats about as little as the others.
- A server restart loses nothing and repeats nothing: the leases (30 s) outlast the outage, the
  schedulers keep their unwritten releases and write them once the server is back.
- Every figure here is a count checked against the ledger, not a timing; the seconds are how long
  each run took on this shared 2-core machine.`;

/** The sections this file writes; every other `## ` section of RESULTS.md is hand-written and kept. */
const GENERATED = new Set(['Long mode', 'CI mode']);

/** The hand-written `## ` sections of a RESULTS.md, in their order. */
export function handWrittenSections(text: string): string[] {
  return text
    .split(/^(?=## )/m)
    .slice(1)
    .filter((section) => !GENERATED.has(section.slice(3, section.indexOf('\n')).trim()))
    .map((section) => section.trimEnd());
}

function readExisting(root: string): string {
  try {
    return readFileSync(join(root, 'RESULTS.md'), 'utf8');
  } catch {
    return '';
  }
}

/** Writes RESULTS.md: the tables from results/, then the hand-written sections already there (Notes as below when there are none). */
export function writeResults(root: string = ROOT): void {
  const sections: string[] = [];
  for (const mode of ['long', 'ci'] as const) {
    const rows = readRows(mode, root);
    if (rows.length === 0) continue;
    const also = mode === 'ci' ? ' (then `run results`); CI runs the same files, at this size, inside `pnpm test`' : '';
    sections.push(`## ${mode === 'long' ? 'Long mode' : 'CI mode'}\n\nMade by \`${COMMANDS[mode]}\`${also}.\n\n${table(rows)}`);
  }
  const kept = handWrittenSections(readExisting(root));
  if (kept.length === 0) kept.push(DEFAULT_NOTES);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const text = `# Reliability results

What the harness in this folder measured: several scheduler processes sharing one store while
processes are killed, servers restart, hostile input arrives and corrupt records are planted.
Every run is checked against a ledger each job appends to (files outside the store), so a fire
time that did not run or ran twice is counted, not guessed. See [README.md](README.md) for what
each scenario does and what is guaranteed.

- **missed**: a scheduled fire time with no run. Always a failure.
- **duplicated (explained)**: a fire time run again because the process running it was killed
  before it could release the job; the lease then ran out and another process ran it (at least
  once, as documented). Only the crash scenario can have these.
- **duplicated (unexplained)**: any other repeat. Always a failure.
- **failures**: crashes, hangs, a wrong answer, a lost or changed record. Always zero to pass.

Machine: ${machine}. MongoDB is not run: no server can be had on this project's machines.

${sections.join('\n\n')}

${kept.join('\n\n')}
`;
  writeFileSync(join(root, 'RESULTS.md'), text);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) writeResults();
