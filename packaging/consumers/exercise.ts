// The same steps on every backend, through the published types only: add, list, claim, release.
// Each step throws if the store does not do what the contract says; the last line is a report.
import { ConflictingIdError, LeaseLostError, type JobStore } from '@jobstore/core';

function check(condition: boolean, step: string): void {
  if (!condition) throw new Error(`packaging check failed: ${step}`);
}

export async function exercise(store: JobStore): Promise<void> {
  const steps: string[] = [];
  const id = `packaging:${process.pid}:${Date.now()}`;
  const now = new Date();
  const later = new Date(now.getTime() + 3_600_000);
  try {
    const added = await store.addJob({ id, nextRunTime: new Date(now.getTime() - 1_000), data: { task: 'packaging', args: [1, 'two'], at: now } });
    check(added.id === id && added.version >= 1, 'addJob returns the record');
    steps.push('added');

    // The error class a store throws is the one the program imported: one @jobstore/core, not two.
    const refused = await store.addJob({ id, nextRunTime: null, data: {} }).then(
      () => null,
      (error: unknown) => error,
    );
    check(refused instanceof ConflictingIdError, `a second addJob with the id throws ConflictingIdError (got ${String(refused)})`);
    steps.push('conflict refused');

    const page = await store.listJobs({ limit: 1_000 });
    const listed = page.jobs.find((job) => job.id === id);
    check(listed !== undefined, 'listJobs returns the job');
    const data = listed!.data as { at?: unknown };
    check(data.at instanceof Date && data.at.getTime() === now.getTime(), 'the data round-trips a Date exactly');
    steps.push('listed');

    const claimed = await store.acquireDueJobs({ owner: 'packaging-1', now, leaseMs: 30_000, limit: 100 });
    const mine = claimed.find((job) => job.id === id);
    check(mine !== undefined && mine.acquiredBy === 'packaging-1', 'acquireDueJobs claims the due job under a lease');
    steps.push('claimed');

    const stolen = await store.releaseJob(id, 'packaging-2', { nextRunTime: null }).then(
      () => null,
      (error: unknown) => error,
    );
    check(stolen instanceof LeaseLostError, `a release by another owner throws LeaseLostError (got ${String(stolen)})`);
    await store.releaseJob(id, 'packaging-1', { nextRunTime: later });
    const released = await store.lookupJob(id);
    check(released?.acquiredBy === null && released.nextRunTime?.getTime() === later.getTime(), 'releaseJob writes the next run time and ends the lease');
    steps.push('released');
  } finally {
    await store.removeJob(id).catch(() => undefined);
    await store.close();
  }
  console.log(JSON.stringify({ steps }));
}
