// The built `jobstore` command as a child process, for the CLI tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const cli = new URL('../dist/cli.js', import.meta.url).pathname;

/** Settings the command reads from the environment: never inherited from the test's own. */
const SETTINGS = /^(SCHEDULER_\w+|JOBS|TASKS|HOST|PORT)$/;

/** Generous: a loaded CI machine must not fail a test by being slow. */
export const DEADLINE_MS = 30_000;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh working directory, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-cli-'));
  dirs.push(dir);
  return dir;
}

function environment(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !SETTINGS.test(key)));
  return { ...inherited, ...env };
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `jobstore`: its output so far, and ways to wait for more. */
export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches (rejects if the process exits first, or after DEADLINE_MS). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when the process has exited (rejects after DEADLINE_MS). */
  exited(): Promise<Finished>;
}

/** Starts `jobstore <args>` in `cwd`, with `env` over a copy of the test's environment without settings. */
export function start(args: readonly string[], options: { cwd?: string; env?: Readonly<Record<string, string>> } = {}): Running {
  const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd ?? tempDir(), env: environment(options.env ?? {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Finished>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const withDeadline = <T>(promise: Promise<T>, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${DEADLINE_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)), DEADLINE_MS);
      promise.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern) =>
      withDeadline(
        new Promise<RegExpExecArray>((resolve, reject) => {
          const check = (): void => {
            const match = pattern.exec(stdout);
            if (match === null) return;
            child.stdout.off('data', check);
            resolve(match);
          };
          child.stdout.on('data', check);
          void exit.then(() => reject(new Error(`exited before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
          check();
        }),
        `no ${pattern}`,
      ),
    exited: () => withDeadline(exit, 'no exit'),
  };
}

/** Runs `jobstore <args>` to its end. */
export function run(args: readonly string[], options: { cwd?: string; env?: Readonly<Record<string, string>> } = {}): Promise<Finished> {
  return start(args, options).exited();
}
