import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const demo = new URL('../dist/demo.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jobstore-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The listing line of a job after `heading`. */
function line(output: string, heading: string, job: string): string {
  const section = output.slice(output.indexOf(heading));
  return (
    section
      .split('\n')
      .find((l) => l.trim().startsWith(job))
      ?.trim() ?? ''
  );
}

describe('the README demo', () => {
  it('adds jobs to a SQLite file, runs them with the scheduler, and finds them again after a restart', async () => {
    const db = join(dir, 'demo.db');
    // Long enough for the every-5-seconds cron job to come due at least once.
    const first = await run('node', [demo, '--db', db, '--seconds', '5.5']);
    expect(first.stdout).toContain('Added 3 jobs');
    expect(first.stdout).toMatch(/ran heartbeat \(run #1/);
    expect(first.stdout).toMatch(/ran report \(run #1/);
    const left = line(first.stdout, 'Jobs left in the store', 'heartbeat');
    expect(left).toMatch(/heartbeat +next run \d\d:\d\d:\d\d\.\d{3} +interval\[0:00:02\]/);

    const second = await run('node', [demo, '--db', db, '--seconds', '0.5']);
    expect(second.stdout).toContain('Found 3 jobs');
    expect(line(second.stdout, 'Found 3 jobs', 'heartbeat')).toBe(left);
    expect(line(second.stdout, 'Found 3 jobs', 'cleanup')).toMatch(/date\[/);
  }, 30_000);
});
