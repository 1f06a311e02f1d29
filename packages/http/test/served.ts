// `jobstore serve` as a child process on a config object, for attacks that must not end it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, tempDir, type Running } from './cli-process.js';

export const TOKEN = 'attack-test-token-0123456789';

export interface Served {
  readonly process: Running;
  /** `http://127.0.0.1:<port>/scheduler` */
  readonly url: string;
  readonly port: number;
  /** The Authorization header that passes. */
  readonly authorization: string;
  /** Resident memory of the service's process, in MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Serves a memory store with a bearer token, with `extra` settings over that. */
export async function serveChild(extra: Record<string, unknown> = {}): Promise<Served> {
  const cwd = tempDir();
  const config = { SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, SCHEDULER_AUTH: { type: 'bearer', token: TOKEN }, PORT: 0, ...extra };
  writeFileSync(join(cwd, 'jobstore.config.json'), JSON.stringify(config));
  const process = start(['serve', '-c', 'jobstore.config.json'], { cwd });
  await process.waitFor(/press Ctrl-C to stop\n/);
  const url = /API at (\S+)\n/.exec(process.stdout())?.[1];
  if (url === undefined) throw new Error(`no API line:\n${process.stdout()}`);
  return {
    process,
    url,
    port: Number(new URL(url).port),
    authorization: `Bearer ${TOKEN}`,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${process.child.pid}/status`, 'utf8'))?.[1]) / 1024,
    stop: async () => {
      if (process.child.exitCode === null) process.child.kill('SIGTERM');
      await process.exited();
    },
  };
}
