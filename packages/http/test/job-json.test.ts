import { IntervalTrigger } from '@jobstore/core';
import { jobToDict } from '@jobstore/http';
import type { JobFields } from '@jobstore/scheduler';
import { describe, expect, it } from 'vitest';

const job: JobFields = {
  id: 'j',
  name: 'j',
  task: 'gone:task',
  trigger: new IntervalTrigger({ minutes: 5, startDate: new Date('2030-01-01T00:00:00Z'), timezone: 'UTC' }),
  args: [],
  kwargs: {},
  executor: 'default',
  jobstore: 'default',
  misfireGraceTime: 1,
  coalesce: true,
  maxInstances: 1,
  nextRunTime: new Date('2030-01-01T00:00:00Z'),
  version: 1,
};

describe('jobToDict state', () => {
  it('is scheduled or paused by the next run time, with no state_reason', () => {
    expect(jobToDict(job)).toMatchObject({ state: 'scheduled', next_run_time: '2030-01-01T00:00:00.000Z' });
    expect(jobToDict({ ...job, nextRunTime: null })).toMatchObject({ state: 'paused', next_run_time: null });
    expect('state_reason' in jobToDict(job)).toBe(false);
  });

  it('is unrunnable, with the reason, when this process cannot run the job, paused or not', () => {
    const reason = 'task "gone:task" is not registered in this process';
    expect(jobToDict({ ...job, unrunnable: reason })).toMatchObject({ state: 'unrunnable', state_reason: reason, next_run_time: '2030-01-01T00:00:00.000Z' });
    expect(jobToDict({ ...job, nextRunTime: null, unrunnable: reason })).toMatchObject({ state: 'unrunnable', state_reason: reason, next_run_time: null });
  });
});
