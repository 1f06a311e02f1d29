// APScheduler 3.11's misfire and coalesce rules, on the cases it was run side by side with.
import { IntervalTrigger } from '@jobstore/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, sleep, until } from './support.js';

afterEach(cleanup);

describe('misfire grace time and coalesce, as APScheduler decides them', () => {
  it('with coalesce only the newest due fire time counts: 10.2 s behind an every-second job with 3 s grace runs once and reports nothing missed', async () => {
    const { scheduler, events } = makeScheduler();
    const ran: number[] = [];
    scheduler.registerTask('tick', () => ran.push(Date.now()));
    const startDate = inMs(-10_200);
    await scheduler.addJob({ id: 'behind', func: 'tick', trigger: new IntervalTrigger({ seconds: 1, startDate }), nextRunTime: startDate, misfireGraceTime: 3, coalesce: true });
    await scheduler.start();
    await until(() => ofType(events, 'job_executed').length === 1);
    expect(ofType(events, 'job_missed')).toStrictEqual([]);
    // The newest of the eleven due fire times (-10.2 s .. -0.2 s), submitted alone.
    expect(ofType(events, 'job_submitted')[0]?.scheduledRunTimes).toStrictEqual([new Date(startDate.getTime() + 10_000)]);
    expect(ofType(events, 'job_executed')[0]?.scheduledRunTime).toStrictEqual(new Date(startDate.getTime() + 10_000));
  });

  it('with coalesce, a newest due fire time older than the grace time is the one fire time reported missed (25 s behind every 10 s, 1 s grace)', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('tick', () => undefined);
    const startDate = inMs(-25_000);
    await scheduler.addJob({ id: 'behind', func: 'tick', trigger: new IntervalTrigger({ seconds: 10, startDate }), nextRunTime: startDate, misfireGraceTime: 1, coalesce: true });
    await scheduler.start();
    await until(() => ofType(events, 'job_missed').length >= 1);
    await sleep(100);
    const newest = new Date(startDate.getTime() + 20_000);
    expect(ofType(events, 'job_missed').map((event) => event.scheduledRunTime)).toStrictEqual([newest]);
    // Submitted as APScheduler submits it, then found missed when its turn came.
    expect(ofType(events, 'job_submitted').map((event) => event.scheduledRunTimes)).toStrictEqual([[newest]]);
    expect(ofType(events, 'job_executed')).toStrictEqual([]);
    expect((await scheduler.getJob('behind'))?.nextRunTime).toStrictEqual(new Date(startDate.getTime() + 30_000));
  });

  it('the grace time is checked as each run starts: -1.8 runs, -1.2 is missed behind a 1 s run, -0.6 runs', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('slow', () => sleep(1000));
    const startDate = inMs(-1800);
    const trigger = new IntervalTrigger({ seconds: 0.6, startDate, endDate: new Date(startDate.getTime() + 1200) });
    await scheduler.addJob({ id: 'slow', func: 'slow', trigger, nextRunTime: startDate, misfireGraceTime: 2, coalesce: false, maxInstances: 1 });
    await scheduler.start();
    await until(() => ofType(events, 'job_removed').length === 1, 6000);
    const at = (ms: number): Date => new Date(startDate.getTime() + ms);
    expect(ofType(events, 'job_submitted').map((event) => event.scheduledRunTimes)).toStrictEqual([[at(0), at(600), at(1200)]]);
    expect(ofType(events, 'job_executed').map((event) => event.scheduledRunTime)).toStrictEqual([at(0), at(1200)]);
    expect(ofType(events, 'job_missed').map((event) => event.scheduledRunTime)).toStrictEqual([at(600)]);
    const order = events.filter((event) => ['job_executed', 'job_missed'].includes(event.type)).map((event) => event.type);
    expect(order).toStrictEqual(['job_executed', 'job_missed', 'job_executed']);
  });

  it('a date job past its grace time is submitted, then reported missed, and removed', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('once', () => undefined);
    const runDate = inMs(-5000);
    await scheduler.addJob({ id: 'late', func: 'once', trigger: 'date', runDate, misfireGraceTime: 1 });
    await scheduler.start();
    await until(() => ofType(events, 'job_removed').length === 1);
    expect(events.map((event) => event.type).filter((type) => type.startsWith('job_') && type !== 'job_added')).toStrictEqual(['job_submitted', 'job_missed', 'job_removed']);
    expect(ofType(events, 'job_submitted')[0]?.scheduledRunTimes).toStrictEqual([runDate]);
  });

  it('a backlog too long to walk is jumped over: a millisecond interval days behind, with coalesce, runs its newest fire time at once', async () => {
    const { scheduler, events } = makeScheduler();
    scheduler.registerTask('tick', () => undefined);
    const startDate = inMs(-3 * 86_400_000);
    await scheduler.addJob({ id: 'dense', func: 'tick', trigger: new IntervalTrigger({ seconds: 0.001, startDate }), nextRunTime: startDate, misfireGraceTime: null, coalesce: true });
    const began = Date.now();
    await scheduler.start();
    await until(() => ofType(events, 'job_executed').length >= 1);
    // 259 million fire times behind: found by probing, not walked.
    expect(Date.now() - began).toBeLessThan(2000);
    expect(Date.now() - (ofType(events, 'job_executed')[0]?.scheduledRunTime.getTime() ?? 0)).toBeLessThan(2000);
    expect(ofType(events, 'job_missed')).toStrictEqual([]);
  });
});
