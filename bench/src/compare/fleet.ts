import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contender, ContenderClient } from './contender.js';
import { LedgerReader, LedgerWriter, type Run } from './ledger.js';

const WORKER = new URL('./worker.js', import.meta.url).pathname;

/**
 * The consumers of one measurement: `processes` child processes, or (for a contender that only
 * works in one process) the parent's own client. Each appends its runs to a ledger file.
 */
export class Consumers {
  readonly dir = mkdtempSync(join(tmpdir(), 'jobstore-cmp-ledger-'));
  readonly #children: ChildProcess[] = [];
  readonly #local: ContenderClient | undefined;
  readonly #ledger = new LedgerReader(this.dir);

  private constructor(local: ContenderClient | undefined) {
    this.#local = local;
  }

  /** Starts them, not yet running jobs. `local` is the parent's client, used when the contender is single-process. */
  static async start(contender: Contender, processes: number, local: ContenderClient): Promise<Consumers> {
    const consumers = new Consumers(contender.singleProcess === true ? local : undefined);
    if (consumers.#local === undefined) {
      await Promise.all(
        Array.from({ length: processes }, async (_, i) => {
          const child = fork(WORKER, [contender.name], { env: { ...process.env, JOBSTORE_CMP_LEDGER: join(consumers.dir, `ledger-${i}.tsv`) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          consumers.#children.push(child);
          await message(child, 'ready');
        }),
      );
    }
    return consumers;
  }

  /** Every consumer starts running jobs; resolves once all of them run. */
  async go(): Promise<void> {
    if (this.#local !== undefined) {
      const writer = new LedgerWriter(join(this.dir, 'ledger-local.tsv'));
      await this.#local.consume((id) => writer.record(id));
      return;
    }
    await Promise.all(
      this.#children.map(async (child) => {
        const going = message(child, 'going');
        child.send('go');
        await going;
      }),
    );
  }

  runs(): readonly Run[] {
    return this.#ledger.runs();
  }

  /** Polls the ledger until `done(runs)` or the deadline; returns the runs. */
  async until(done: (runs: readonly Run[]) => boolean, timeoutMs: number): Promise<readonly Run[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const runs = this.runs();
      if (done(runs) || Date.now() > deadline) return runs;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.send('stop');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function message(child: ChildProcess, expected: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (value: unknown): void => {
      if (value !== expected) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null): void => reject(new Error(`consumer exited (${code}) before "${expected}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
