import { appendFileSync, closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** Each run, as the consumers wrote it: the job id and when it started (epoch ms, fractional). */
export interface Run {
  readonly id: string;
  readonly at: number;
}

/**
 * The runs in a directory of ledger files, read as they grow: each look reads only what was
 * appended since the last, so polling a big ledger costs the measuring process little.
 */
export class LedgerReader {
  readonly #dir: string;
  readonly #read = new Map<string, { offset: number; rest: string }>();
  readonly #runs: Run[] = [];

  constructor(dir: string) {
    this.#dir = dir;
  }

  runs(): readonly Run[] {
    for (const name of readdirSync(this.#dir)) {
      const state = this.#read.get(name) ?? { offset: 0, rest: '' };
      this.#read.set(name, state);
      const fd = openSync(join(this.#dir, name), 'r');
      try {
        const size = fstatSync(fd).size;
        if (size <= state.offset) continue;
        const buffer = Buffer.alloc(size - state.offset);
        readSync(fd, buffer, 0, buffer.length, state.offset);
        state.offset = size;
        // A flush is whole lines, but a read may still land between two writes' bytes.
        const lines = (state.rest + buffer.toString('utf8')).split('\n');
        state.rest = lines.pop() ?? '';
        for (const line of lines) {
          const tab = line.indexOf('\t');
          if (tab > 0) this.#runs.push({ id: line.slice(0, tab), at: Number(line.slice(tab + 1)) });
        }
      } finally {
        closeSync(fd);
      }
    }
    return this.#runs;
  }
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

/**
 * Appends runs to a ledger file in batches: a write per run would cost the fastest contenders a
 * syscall per job. Each run keeps the time it was recorded; only its visibility waits for a flush.
 */
export class LedgerWriter {
  readonly #file: string;
  #lines: string[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  record(id: string): void {
    this.#lines.push(`${id}\t${performance.timeOrigin + performance.now()}\n`);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lines.length === 0) return;
    appendFileSync(this.#file, this.#lines.join(''));
    this.#lines = [];
  }
}

const FLUSH_MS = 5;
