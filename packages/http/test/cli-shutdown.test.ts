import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start, tempDir } from './cli-process.js';

/**
 * A service with one job that runs at once: `hang` never finishes, `brief` finishes when its
 * file appears. Each prints a line when it starts, so the test knows the run is going on.
 */
function service(task: 'hang' | 'brief'): { cwd: string; args: string[] } {
  const cwd = tempDir();
  writeFileSync(
    join(cwd, 'tasks.mjs'),
    [
      "import { existsSync } from 'node:fs';",
      "export function hang() { console.log('task started'); return new Promise(() => {}); }",
      "export async function brief() { console.log('task started'); while (!existsSync('finish')) await new Promise((r) => setTimeout(r, 20)); console.log('task finished'); }",
    ].join('\n'),
  );
  const config = { SCHEDULER_JOBSTORES: { default: { type: 'sql', url: 'sqlite:jobs.db' } }, TASKS: ['./tasks.mjs'], JOBS: [{ id: `the-${task}`, func: `./tasks.mjs:${task}`, trigger: 'date' }] };
  writeFileSync(join(cwd, 'service.json'), JSON.stringify(config));
  return { cwd, args: ['serve', '--config', 'service.json', '--port', '0'] };
}

const RUN_LINE = /"the-hang" in store "default", running since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+ s\)/;
const AFTERMATH = 'their leases run out; then another scheduler sharing the store, or this one restarted, may run the same fire times again.';

/** The stderr lines without their prefix, joined, so wrapping to the terminal does not matter. */
const unwrapped = (stderr: string, prefix: string): string =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length))
    .join(' ');

describe('jobstore serve: shutting down', () => {
  it('waits for a running job on SIGINT, then exits 0', async () => {
    const { cwd, args } = service('brief');
    const jobstore = start(args, { cwd });
    await jobstore.waitFor(/task started\n(.*\n)*jobstore: press Ctrl-C to stop\n|jobstore: press Ctrl-C to stop\n(.*\n)*task started\n/);
    jobstore.child.kill('SIGINT');
    await jobstore.waitFor(/jobstore: shutting down: waiting up to 30 s for 1 running job \(Ctrl-C again to exit at once\)\n/);
    writeFileSync(join(cwd, 'finish'), '');
    const { code, stdout, stderr } = await jobstore.exited();
    expect(code).toBe(0);
    expect(stdout).toMatch(/task finished\n(.*\n)*jobstore: stopped\n$/);
    expect(stderr).toBe('');
  });

  it('exits at once with 130 on a second SIGINT, naming the job it abandons and what becomes of it', async () => {
    const { cwd, args } = service('hang');
    // A long timeout: only the second signal can end the wait.
    const jobstore = start([...args, '--shutdown-timeout', '600'], { cwd });
    await jobstore.waitFor(/task started\n(.*\n)*jobstore: press Ctrl-C to stop\n|jobstore: press Ctrl-C to stop\n(.*\n)*task started\n/);
    jobstore.child.kill('SIGINT');
    await jobstore.waitFor(/jobstore: shutting down: waiting up to 600 s for 1 running job \(Ctrl-C again to exit at once\)\n/);
    jobstore.child.kill('SIGINT');
    const { code, signal, stderr } = await jobstore.exited();
    expect([code, signal]).toStrictEqual([130, null]);
    const lines = stderr.split('\n');
    expect(lines[0]).toBe('jobstore: interrupted again: exiting at once, abandoning 1 running job:');
    expect(lines[1]).toMatch(new RegExp(`^jobstore:   ${RUN_LINE.source}$`));
    expect(unwrapped(lines.slice(2).join('\n'), 'jobstore: ')).toBe(AFTERMATH);
  });

  it('abandons a job still running at the shutdown timeout with a warning naming it, and exits 1', async () => {
    const { cwd, args } = service('hang');
    const jobstore = start([...args, '--shutdown-timeout', '1'], { cwd });
    await jobstore.waitFor(/task started\n(.*\n)*jobstore: press Ctrl-C to stop\n|jobstore: press Ctrl-C to stop\n(.*\n)*task started\n/);
    jobstore.child.kill('SIGTERM');
    const { code, stdout, stderr } = await jobstore.exited();
    expect(code).toBe(1);
    expect(stdout).toContain('jobstore: shutting down: waiting up to 1 s for 1 running job (Ctrl-C again to exit at once)\n');
    const lines = stderr.split('\n');
    expect(lines[0]).toBe('jobstore: warning: the shutdown timed out after 1 s; abandoning 1 running job:');
    expect(lines[1]).toMatch(new RegExp(`^jobstore: warning:   ${RUN_LINE.source}$`));
    expect(unwrapped(lines.slice(2).join('\n'), 'jobstore: warning: ')).toBe(AFTERMATH);
  });

  it('takes the shutdown timeout from the config file (SCHEDULER_SHUTDOWN_TIMEOUT)', async () => {
    const { cwd } = service('hang');
    const config = {
      SCHEDULER_JOBSTORES: { default: { type: 'memory' } },
      SCHEDULER_SHUTDOWN_TIMEOUT: 0.5,
      TASKS: ['./tasks.mjs'],
      JOBS: [{ id: 'the-hang', func: './tasks.mjs:hang', trigger: 'date' }],
    };
    writeFileSync(join(cwd, 'timeout.json'), JSON.stringify(config));
    const jobstore = start(['serve', '--config', 'timeout.json', '--port', '0'], { cwd });
    await jobstore.waitFor(/task started\n(.*\n)*jobstore: press Ctrl-C to stop\n|jobstore: press Ctrl-C to stop\n(.*\n)*task started\n/);
    jobstore.child.kill('SIGTERM');
    const { code, stderr } = await jobstore.exited();
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe('jobstore: warning: the shutdown timed out after 0.5 s; abandoning 1 running job:');
  });
});
