import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentJob } from '@jobstore/scheduler';
import { preciseNow } from './clock.js';

// Each scheduler process appends to its own file, outside the store under test: a kill -9 leaves
// every line written before it (appendFileSync returns once the write is in the file).
const file = join(process.env['JOBSTORE_LEDGER_DIR'] ?? '.', `ledger-${process.pid}.tsv`);

/** The task every harness job runs: one ledger line per run, `job id, fire time, pid, start time`. */
export function record(): void {
  const job = currentJob();
  if (job === undefined) throw new Error('record() runs only as a job');
  appendFileSync(file, `${job.jobId}\t${job.scheduledRunTime.getTime()}\t${process.pid}\t${preciseNow()}\n`);
}
