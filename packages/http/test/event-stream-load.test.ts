// A bounded load of server-sent-event streams on a real server in a child process: most streams
// never read, jobs fire about 60 times a second. Memory is the child's own (the figures come from
// scripts/sse-memory.mjs, which the measurement also uses); the bounds are generous
// correctness bounds, not speed targets: scripts/sse-memory.mjs at full size writes those down.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/sse-memory.mjs', import.meta.url));

interface Summary {
  answered: { 200: number; 503: number; other: number; none: number };
  refusal: string | null;
  readerBytes: { min: number; max: number } | null;
  heapUsedMB: { before: number; end: number | null; after: number | null };
  rssMB: { before: number; peak: number; end: number; after: number };
  api: { calls: number; unanswered: number; p50Ms: number | null; maxMs: number | null; afterMs: number | null };
  streamAfter: number | null;
}

function runLoad(args: readonly string[]): Promise<Summary> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, '--json', ...args], { timeout: 100_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(last) as Summary);
    });
  });
}

describe('GET /scheduler/events under load (a server in a child process)', () => {
  it('400 streams, most never reading, jobs firing ~60/s: 300 served, 100 refused, the API answers, and memory returns to where it was once they leave', async () => {
    const summary = await runLoad([
      '--streams=400',
      '--readers=40',
      '--seconds=15',
      '--fires=60',
      '--error-bytes=1000', // each run's job_error event is about 1 kB: the stalled streams' socket buffers fill
      '--max-streams=300',
      '--buffer-bytes=65536',
      '--api-timeout-ms=5000',
    ]);
    const figures = JSON.stringify(summary);
    expect(summary.answered, figures).toStrictEqual({ 200: 300, 503: 100, other: 0, none: 0 });
    expect(summary.refusal, figures).toMatch(/^HTTP\/1\.1 503[\s\S]*retry-after: 10\r\n[\s\S]*"error":"unavailable"/i);
    // The readers got events all along (about 60 kB a second each when nothing is slow).
    expect(summary.readerBytes?.min ?? 0, figures).toBeGreaterThan(100_000);
    // Every GET /scheduler/jobs, one a second during the load, answered within 5 s.
    expect(summary.api.calls, figures).toBeGreaterThanOrEqual(5);
    expect(summary.api.unanswered, figures).toBe(0);
    expect(summary.api.afterMs, figures).not.toBeNull();
    // Everything the streams held is freed once they leave: the heap (after full collections) is near where it began...
    expect(summary.heapUsedMB.after, figures).not.toBeNull();
    expect(summary.heapUsedMB.after!, figures).toBeLessThan(summary.heapUsedMB.before + 30);
    // ...and their places are free: a new stream is served.
    expect(summary.streamAfter, figures).toBe(200);
  }, 120_000);
});
