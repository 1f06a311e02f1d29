import type { JobStore } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';
import { Scheduler } from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { inMs, sleep, until } from './support.js';

const live: Scheduler[] = [];
afterEach(async () => {
  await Promise.allSettled(live.splice(0).map((scheduler) => scheduler.shutdown({ wait: false })));
});

/** The store as a scheduler sees it when its claims of due jobs come back `delayMs` after they were made (a busy server). */
function slowClaims(store: MemoryJobStore, delayMs: number): JobStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'acquireDueJobs') return value.bind(target);
      return async (...args: unknown[]) => {
        const claimed = (await value.apply(target, args)) as unknown[];
        if (claimed.length > 0) await sleep(delayMs);
        return claimed;
      };
    },
  });
}

describe('a claim that comes back after its lease ran out', () => {
  it('does not run a job another scheduler claimed meanwhile: only a renewed lease is run', async () => {
    const shared = new MemoryJobStore();
    const runs: string[] = [];
    const make = (name: string, store: JobStore): Scheduler => {
      const scheduler = new Scheduler({ schedulerId: name, jobstores: { default: store }, timezone: 'UTC', leaseMs: 300, maxWait: 50 });
      scheduler.registerTask('once', () => {
        runs.push(name);
      });
      live.push(scheduler);
      return scheduler;
    };
    // A's claim takes 600 ms, twice its 300 ms lease; B claims the job once that lease is over.
    const a = make('a', slowClaims(shared, 600));
    const b = make('b', shared);
    await a.start();
    await a.addJob({ id: 'job', func: 'once', trigger: 'date', runDate: inMs(100) });
    await sleep(200);
    await b.start();
    await until(() => runs.length > 0, 3000);
    // A's claim has come back by now, found its lease taken, and left the job alone.
    await sleep(900);
    expect(runs).toStrictEqual(['b']);
  });

  it('runs the job when its lease is renewed in time, as before', async () => {
    const store = new MemoryJobStore();
    const runs: number[] = [];
    const scheduler = new Scheduler({ jobstores: { default: slowClaims(store, 200) }, timezone: 'UTC', leaseMs: 300, maxWait: 50 });
    live.push(scheduler);
    scheduler.registerTask('tick', () => {
      runs.push(Date.now());
    });
    await scheduler.start();
    await scheduler.addJob({ id: 'job', func: 'tick', trigger: 'date', runDate: inMs(50) });
    await until(() => runs.length === 1, 3000);
    await sleep(500);
    expect(runs).toHaveLength(1);
  });
});
