import { CronTrigger, DateTrigger, IntervalTrigger, type Trigger } from '@jobstore/core';
import type { FleetPlan } from './mode.js';

/** A job of the harness and every fire time it must run. */
export interface PlannedJob {
  readonly id: string;
  readonly trigger: Trigger;
  readonly fireTimes: readonly number[];
}

/** Every fire time of `trigger` up to `end`, walked as a scheduler walks it. */
export function fireTimes(trigger: Trigger, end: number): number[] {
  const times: number[] = [];
  let time = trigger.getNextFireTime(null, new Date(0));
  while (time !== null && time.getTime() <= end) {
    times.push(time.getTime());
    time = trigger.getNextFireTime(time, time);
  }
  return times;
}

/**
 * The jobs of one run, their fire times in [start, start + windowMs]: date jobs spread evenly,
 * interval jobs with staggered starts, cron jobs firing together on the second; every recurring
 * job has an end date, so every schedule is finite.
 */
export function planJobs(plan: FleetPlan, start: number, prefix = 'job'): PlannedJob[] {
  const end = start + plan.windowMs;
  const jobs: PlannedJob[] = [];
  for (let i = 0; i < plan.dateJobs; i++) {
    const trigger = new DateTrigger({ runDate: new Date(start + Math.floor((i * plan.windowMs) / plan.dateJobs)) });
    jobs.push({ id: `${prefix}-date-${i}`, trigger, fireTimes: fireTimes(trigger, end) });
  }
  for (let i = 0; i < plan.intervalJobs; i++) {
    const first = start + Math.floor((i * plan.intervalSeconds * 1000) / Math.max(1, plan.intervalJobs));
    const trigger = new IntervalTrigger({ seconds: plan.intervalSeconds, startDate: new Date(first), endDate: new Date(end) });
    jobs.push({ id: `${prefix}-interval-${i}`, trigger, fireTimes: fireTimes(trigger, end) });
  }
  for (let i = 0; i < plan.cronJobs; i++) {
    const trigger = new CronTrigger({ second: `*/${plan.cronSeconds}`, startDate: new Date(start), endDate: new Date(end), timezone: 'UTC' });
    jobs.push({ id: `${prefix}-cron-${i}`, trigger, fireTimes: fireTimes(trigger, end) });
  }
  return jobs;
}

export function expectedRuns(jobs: readonly PlannedJob[]): Map<string, readonly number[]> {
  return new Map(jobs.map((job) => [job.id, job.fireTimes]));
}
