import { spawn, type ChildProcess } from 'node:child_process';
import { preciseNow } from '../src/clock.js';
import type { WorkerConfig, WorkerReport } from '../src/worker.js';

const WORKER = new URL('../dist/worker.js', import.meta.url).pathname;

interface Member {
  readonly child: ChildProcess;
  readonly pid: number;
  stderr: string;
  report: WorkerReport | undefined;
  /** Set when the harness ended it; an exit without it is a crash. */
  ending: 'kill' | 'stop' | undefined;
  readonly exited: Promise<number | null>;
}

/** A process that ended without being asked to, and what it printed last. */
export interface Crash {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Scheduler processes over one store, each its own Node process, as separate machines would run them. */
export class Fleet {
  readonly #config: WorkerConfig;
  readonly #ledgerDir: string;
  readonly #members = new Set<Member>();
  /** Pids the harness killed with SIGKILL, each with when the signal went out (clock.ts): a repeat must begin after it. */
  readonly killed = new Map<number, number>();
  readonly crashes: Crash[] = [];
  readonly reports: WorkerReport[] = [];

  constructor(config: WorkerConfig, ledgerDir: string) {
    this.#config = config;
    this.#ledgerDir = ledgerDir;
  }

  get size(): number {
    return this.#members.size;
  }

  /** Starts `count` processes and waits until each is running its scheduler. */
  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.#spawn()));
  }

  #spawn(): Promise<void> {
    const child = spawn('node', [WORKER], {
      env: { ...process.env, JOBSTORE_WORKER: JSON.stringify(this.#config), JOBSTORE_LEDGER_DIR: this.#ledgerDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const member: Member = { child, pid: child.pid ?? -1, stderr: '', report: undefined, ending: undefined, exited };
    this.#members.add(member);
    child.stderr?.on('data', (chunk: Buffer) => {
      member.stderr = (member.stderr + chunk.toString()).slice(-4000);
    });
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (let end = out.indexOf('\n'); end >= 0; end = out.indexOf('\n')) {
          const line = out.slice(0, end);
          out = out.slice(end + 1);
          if (line === 'ready') resolve();
          else if (line.startsWith('report ')) member.report = JSON.parse(line.slice(7)) as WorkerReport;
        }
      });
      child.once('close', (code, signal) => {
        this.#members.delete(member);
        if (member.ending === undefined) this.crashes.push({ pid: member.pid, code, signal, stderr: member.stderr });
        if (member.report !== undefined) this.reports.push(member.report);
        reject(new Error(`scheduler process ${member.pid} exited (${code ?? signal}) before it was ready: ${member.stderr}`));
      });
    });
    return ready;
  }

  /** SIGKILL to one process chosen at random, then a new one in its place. */
  async killOneAndReplace(): Promise<number> {
    const members = [...this.#members].filter((member) => member.ending === undefined);
    const victim = members[Math.floor(Math.random() * members.length)];
    if (victim === undefined) throw new Error('no process to kill');
    victim.ending = 'kill';
    this.killed.set(victim.pid, preciseNow());
    victim.child.kill('SIGKILL');
    await victim.exited;
    await this.#spawn();
    return victim.pid;
  }

  /** SIGTERM to every process: each shuts down cleanly, waiting for its runs, and reports. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const members = [...this.#members];
    for (const member of members) {
      member.ending = 'stop';
      member.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      for (const member of members) {
        if (member.child.exitCode !== null) continue;
        this.crashes.push({ pid: member.pid, code: null, signal: null, stderr: `did not stop within ${timeoutMs} ms of SIGTERM (a hang). ${member.stderr}` });
        member.child.kill('SIGKILL');
      }
    }, timeoutMs);
    const codes = await Promise.all(members.map((member) => member.exited));
    clearTimeout(timer);
    codes.forEach((code, i) => {
      const member = members[i] as Member;
      if (code !== 0 && !this.crashes.some((crash) => crash.pid === member.pid)) this.crashes.push({ pid: member.pid, code, signal: null, stderr: member.stderr });
    });
  }
}
