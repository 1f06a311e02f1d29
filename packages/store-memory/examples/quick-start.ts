import { LeaseLostError } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';

const store = new MemoryJobStore();
store.subscribe((event) => console.log('event:', event.type));

// A job: an id, when it is next due, and data the store keeps exactly but never interprets.
await store.addJob({
  id: 'report:daily',
  nextRunTime: new Date('2030-01-01T09:00:00Z'),
  data: { task: 'send-report', args: ['ops@example.com'], since: new Date('2029-12-31') },
});

// A scheduler claims due jobs under a lease: no other owner gets them while it lasts.
const now = new Date('2030-01-01T09:00:00.250Z');
const [job] = await store.acquireDueJobs({ owner: 'scheduler-1', now, leaseMs: 30_000, limit: 100 });
console.log(job?.id, job?.acquiredBy); // report:daily scheduler-1

// It runs the job, then writes the next run time and ends the lease in one atomic step.
await store.releaseJob('report:daily', 'scheduler-1', { nextRunTime: new Date('2030-01-02T09:00:00Z') });

// An owner that does not hold the lease cannot overwrite the job.
try {
  await store.releaseJob('report:daily', 'scheduler-2', { nextRunTime: null });
} catch (error) {
  console.log(error instanceof LeaseLostError); // true
}

console.log(await store.getNextRunTime()); // 2030-01-02T09:00:00.000Z
await store.close();
