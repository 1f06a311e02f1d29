import { MemoryJobStore } from '@jobstore/store-memory';
import { Scheduler, type SchedulerEvent, type SchedulerEventOf, type SchedulerOptions } from '@jobstore/scheduler';

/** A scheduler on a memory store that records its events and is shut down by `cleanup`. */
export function makeScheduler(options: SchedulerOptions = {}): { scheduler: Scheduler; events: SchedulerEvent[]; store: MemoryJobStore } {
  const store = new MemoryJobStore();
  const scheduler = new Scheduler({ jobstores: { default: store }, timezone: 'UTC', maxWait: 1000, ...options });
  const events: SchedulerEvent[] = [];
  scheduler.addListener((event) => events.push(event));
  live.push(scheduler);
  return { scheduler, events, store };
}

const live: Scheduler[] = [];

export async function cleanup(): Promise<void> {
  await Promise.allSettled(live.splice(0).map((scheduler) => scheduler.shutdown({ wait: false })));
}

export function ofType<T extends SchedulerEvent['type']>(events: readonly SchedulerEvent[], type: T): SchedulerEventOf<T>[] {
  return events.filter((event): event is SchedulerEventOf<T> => event.type === type);
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const inMs = (ms: number): Date => new Date(Date.now() + ms);
