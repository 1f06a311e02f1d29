import type { Trigger } from '@jobstore/core';

/** Fire times at most this many behind are walked one by one; older backlogs are skipped as one. */
const MAX_BACKLOG = 1000;

/** What is due of a job at `now`, per APScheduler's misfire and coalesce rules. */
export interface DuePlan {
  /** Fire times to run now, earliest first. */
  readonly run: Date[];
  /** Fire times too late to run (older than the misfire grace time). */
  readonly missed: Date[];
  /** The first fire time after `now`, or null when the trigger is done. */
  readonly next: Date | null;
}

/**
 * Walks the trigger from the job's next run time up to `now`: each fire time is run if it is no
 * older than `misfireGraceTime` seconds (null: any age) and missed otherwise; with coalesce,
 * only the latest runnable one runs. A long backlog of missed times is jumped over, not walked.
 */
export function planDue(trigger: Trigger, nextRunTime: Date, now: Date, misfireGraceTime: number | null, coalesce: boolean): DuePlan {
  const cutoff = misfireGraceTime === null ? Number.NEGATIVE_INFINITY : now.getTime() - misfireGraceTime * 1000;
  const run: Date[] = [];
  const missed: Date[] = [];
  let time: Date | null = nextRunTime;
  let steps = 0;
  while (time !== null && time.getTime() <= now.getTime()) {
    if (time.getTime() < cutoff) {
      if (missed.length < MAX_BACKLOG) missed.push(time);
      if (++steps > MAX_BACKLOG) {
        // Everything before the cutoff is missed anyway: go straight to the first time after it.
        const jumped = trigger.getNextFireTime(null, new Date(cutoff));
        if (jumped !== null && jumped.getTime() > time.getTime()) {
          time = jumped;
          continue;
        }
      }
    } else {
      run.push(time);
      if (run.length > MAX_BACKLOG) run.shift();
    }
    time = laterFireTime(trigger, time, now);
  }
  const last = run[run.length - 1];
  return { run: coalesce && last !== undefined ? [last] : run, missed, next: time };
}

/** The trigger's next fire time after `previous`, guarded against a trigger that does not move forward. */
export function laterFireTime(trigger: Trigger, previous: Date, now: Date): Date | null {
  const next = trigger.getNextFireTime(previous, now);
  return next !== null && next.getTime() <= previous.getTime() ? null : next;
}
