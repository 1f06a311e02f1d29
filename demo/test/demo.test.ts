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

describe('the README demo', () => {
  it('adds jobs to a SQLite file, runs them, and finds them again after a restart', async () => {
    const db = join(dir, 'demo.db');
    const first = await run('node', [demo, '--db', db, '--seconds', '3.2']);
    expect(first.stdout).toContain('Added 3 jobs');
    expect(first.stdout).toMatch(/ran heartbeat \(run #1\)/);
    expect(first.stdout).toMatch(/ran report \(run #1\)/);
    const heartbeats = first.stdout.match(/ran heartbeat/g)?.length ?? 0;

    const second = await run('node', [demo, '--db', db, '--seconds', '1']);
    expect(second.stdout).toContain('Found 3 jobs');
    expect(second.stdout).toMatch(new RegExp(`heartbeat .*runs so far: ${heartbeats}`));
    expect(second.stdout).toMatch(/cleanup .*once .*runs so far: 0/);
  }, 30_000);
});
