import type { RunningJob } from '@jobstore/scheduler';
import type { RunningService } from '../service.js';
import { describeRun, seconds, ShutdownTimeoutError } from '../shutdown.js';
import { describeError } from './errors.js';
import { fail, info, problem, warn } from './output.js';

/** The exit status of a process ended by a second signal: 128 + the signal's number, as shells report it. */
const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** Longer lists are cut: the output should fit a terminal. */
const MAX_LISTED = 10;

const AFTERMATH = 'their leases run out; then another scheduler sharing the store, or this one restarted, may run the same fire times again.';

/** The abandoned runs, one a line (cut at MAX_LISTED), and what becomes of them. */
function reportAbandoned(runs: readonly RunningJob[], kind: '' | 'warning: '): void {
  const now = new Date();
  const prefix = `jobstore: ${kind}  `;
  for (const run of runs.slice(0, MAX_LISTED)) process.stderr.write(`${prefix}${describeRun(run, now)}\n`);
  if (runs.length > MAX_LISTED) process.stderr.write(`${prefix}and ${runs.length - MAX_LISTED} more\n`);
  problem(AFTERMATH, kind);
}

const jobs = (count: number): string => `${count} running job${count === 1 ? '' : 's'}`;

/**
 * Waits for SIGINT or SIGTERM, then shuts the service down; resolves with the exit status. The
 * shutdown waits for running jobs up to `timeoutMs`, then abandons them (1); a second signal
 * abandons them at once (130 for SIGINT, 143 for SIGTERM). Either way the abandoned runs are named.
 */
export function stopOnSignals(service: RunningService, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      resolve(code);
    };
    const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
      if (done) return;
      if (stopping) {
        const runs = service.scheduler.runningJobs();
        fail(`${signal === 'SIGINT' ? 'interrupted' : 'terminated'} again: exiting at once${runs.length === 0 ? '' : `, abandoning ${jobs(runs.length)}:`}`);
        if (runs.length > 0) reportAbandoned(runs, '');
        finish(SIGNAL_EXIT[signal]);
        return;
      }
      stopping = true;
      const running = service.scheduler.runningJobs().length;
      info(running === 0 ? 'shutting down' : `shutting down: waiting up to ${seconds(timeoutMs)} for ${jobs(running)} (Ctrl-C again to exit at once)`);
      service.close({ timeoutMs }).then(
        () => {
          info('stopped');
          finish(0);
        },
        (error: unknown) => {
          if (error instanceof ShutdownTimeoutError) {
            if (error.runs.length === 0) {
              warn(`the shutdown did not finish within ${seconds(timeoutMs)} (no job was running: the job stores did not close); exiting`);
            } else {
              warn(`the shutdown timed out after ${seconds(timeoutMs)}; abandoning ${jobs(error.runs.length)}:`);
              reportAbandoned(error.runs, 'warning: ');
            }
          } else {
            fail(`the shutdown failed: ${describeError(error)}`);
          }
          finish(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
