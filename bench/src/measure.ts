import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Summary of repeated timings, in milliseconds. */
export interface Timing {
  readonly median: number;
  readonly p99: number;
}

/** Times `run` `times` times (after a few untimed warm-up calls). */
export async function time(times: number, run: (i: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.min(10, times); i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/** The q-quantile of ascending `sorted` (NaN when empty). */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Heap in use after a full collection (run node with --expose-gc). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc to measure heap per job');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function fmt(ms: number): string {
  return ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function rate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** Prints a report, and with --write on the command line keeps it as bench/results/<name>.md. */
export function publish(name: string, report: string): void {
  console.log(report);
  if (!process.argv.includes('--write')) return;
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`../results/${name}.md`, import.meta.url), report);
}
