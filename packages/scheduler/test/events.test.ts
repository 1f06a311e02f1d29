import { InvalidArgumentError, IntervalTrigger } from '@jobstore/core';
import { MemoryJobStore } from '@jobstore/store-memory';
import {
  AsyncExecutor,
  EVENT_ALL,
  EVENT_CODES,
  EVENT_JOB_ERROR,
  EVENT_JOB_EXECUTED,
  EVENT_JOB_SUBMITTED,
  EVENT_JOBSTORE_ADDED,
  EVENT_SCHEDULER_STARTED,
  type SchedulerEvent,
} from '@jobstore/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, until } from './support.js';

afterEach(cleanup);

describe("APScheduler's events", () => {
  it('every lifecycle, executor and store change is an event, each with its APScheduler code', async () => {
    const { scheduler, events } = makeScheduler();
    await scheduler.start();
    scheduler.addExecutor(new AsyncExecutor(), 'extra');
    await scheduler.removeExecutor('extra');
    await scheduler.addJobstore(new MemoryJobStore(), 'other');
    scheduler.registerTask('noop', () => undefined);
    await scheduler.addJob({ id: 'a', func: 'noop', trigger: 'interval', hours: 1, jobstore: 'other' });
    await scheduler.removeAllJobs('other');
    await scheduler.removeJobstore('other');
    scheduler.pause();
    scheduler.resume();
    await scheduler.shutdown();
    expect(events.map((event) => event.type)).toStrictEqual([
      'scheduler_started',
      'executor_added',
      'executor_removed',
      'jobstore_added',
      'job_added',
      'all_jobs_removed',
      'jobstore_removed',
      'scheduler_paused',
      'scheduler_resumed',
      'scheduler_shutdown',
    ]);
    expect(events.map((event) => event.code)).toStrictEqual([1, 16, 32, 64, 512, 256, 128, 4, 8, 2]);
    expect(ofType(events, 'all_jobs_removed')).toStrictEqual([{ type: 'all_jobs_removed', code: 256, alias: 'other' }]);
    expect(ofType(events, 'executor_added')).toStrictEqual([{ type: 'executor_added', code: 16, alias: 'extra' }]);
  });

  it("the codes are APScheduler 3's, bit for bit", () => {
    expect(EVENT_CODES).toStrictEqual({
      scheduler_started: 1,
      scheduler_shutdown: 2,
      scheduler_paused: 4,
      scheduler_resumed: 8,
      executor_added: 16,
      executor_removed: 32,
      jobstore_added: 64,
      jobstore_removed: 128,
      all_jobs_removed: 256,
      job_added: 512,
      job_removed: 1024,
      job_modified: 2048,
      job_executed: 4096,
      job_error: 8192,
      job_missed: 16384,
      job_submitted: 32768,
      job_max_instances: 65536,
      jobstore_error: 2 ** 20,
    });
    expect(EVENT_ALL).toBe(Object.values(EVENT_CODES).reduce((mask, code) => mask | code, 0));
  });

  it('addListener takes a mask of codes (EVENT_JOB_EXECUTED | EVENT_JOB_ERROR) and hears exactly those events', async () => {
    const { scheduler } = makeScheduler();
    const heard: SchedulerEvent[] = [];
    scheduler.addListener((event) => heard.push(event), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR);
    const everything: SchedulerEvent[] = [];
    scheduler.addListener((event) => everything.push(event), EVENT_ALL);
    const starts: SchedulerEvent[] = [];
    scheduler.addListener((event) => starts.push(event), EVENT_SCHEDULER_STARTED | EVENT_JOBSTORE_ADDED);
    scheduler.registerTask('ok', () => 42);
    scheduler.registerTask('fails', () => {
      throw new Error('boom');
    });
    await scheduler.start();
    await scheduler.addJob({ id: 'ok', func: 'ok' });
    await scheduler.addJob({ id: 'fails', func: 'fails' });
    await until(() => heard.length === 2);
    expect(heard.map((event) => [event.type, event.code]).sort()).toStrictEqual([
      ['job_error', EVENT_JOB_ERROR],
      ['job_executed', EVENT_JOB_EXECUTED],
    ]);
    expect(everything.some((event) => event.code === EVENT_JOB_SUBMITTED)).toBe(true);
    expect(starts.map((event) => event.type)).toStrictEqual(['scheduler_started']);
  });

  it("removeListener stops a listener, as APScheduler's remove_listener does", async () => {
    const { scheduler } = makeScheduler();
    const heard: string[] = [];
    const listener = (event: SchedulerEvent): void => void heard.push(event.type);
    scheduler.addListener(listener, EVENT_SCHEDULER_STARTED);
    expect(scheduler.removeListener(listener)).toBe(true);
    expect(scheduler.removeListener(listener)).toBe(false);
    await scheduler.start();
    expect(heard).toStrictEqual([]);
  });

  it('a mask that names no event, or an unknown type, is refused with InvalidArgumentError', () => {
    const { scheduler } = makeScheduler();
    expect(() => scheduler.addListener(() => undefined, 0)).toThrow(InvalidArgumentError);
    expect(() => scheduler.addListener(() => undefined, 2 ** 18)).toThrow(/names no event/);
    expect(() => scheduler.addListener(() => undefined, 1.5)).toThrow(InvalidArgumentError);
    expect(() => scheduler.addListener(() => undefined, ['job_exploded' as 'job_added'])).toThrow(/unknown event type "job_exploded"/);
  });

  it('job_error carries what was thrown and its stack as traceback', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('fails', function failingTask() {
      throw new TypeError('bad input');
    });
    scheduler.registerTask('throws-a-string', () => {
      throw 'not an error';
    });
    await scheduler.start();
    await scheduler.addJob({ id: 'fails', func: 'fails' });
    await scheduler.addJob({ id: 'string', func: 'throws-a-string' });
    await until(() => ofType(events, 'job_error').length === 2);
    const [typed, text] = [ofType(events, 'job_error').find((e) => e.jobId === 'fails'), ofType(events, 'job_error').find((e) => e.jobId === 'string')];
    expect(typed?.error).toBeInstanceOf(TypeError);
    expect(typed?.traceback).toMatch(/^TypeError: bad input\n\s+at failingTask/);
    expect(text).toMatchObject({ error: 'not an error', traceback: null });
  });

  it('job_submitted covers every run: a scheduled fire time and a runJob', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('noop', () => undefined);
    await scheduler.start();
    const startDate = inMs(30);
    await scheduler.addJob({ id: 'tick', func: 'noop', trigger: new IntervalTrigger({ seconds: 60, startDate }) });
    await until(() => ofType(events, 'job_executed').length === 1);
    await scheduler.runJob('tick');
    expect(ofType(events, 'job_submitted').map((event) => event.scheduledRunTimes.length)).toStrictEqual([1, 1]);
    expect(ofType(events, 'job_submitted')[0]?.scheduledRunTimes).toStrictEqual([startDate]);
  });
});
