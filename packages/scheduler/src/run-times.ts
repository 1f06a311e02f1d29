import type { Trigger } from '@jobstore/core';

/** Fire times at most this many behind are walked one by one; older backlogs are jumped over. */
const MAX_BACKLOG = 1000;

/** What is due of a job at `now`, per APScheduler's misfire and coalesce rules. */
export interface DuePlan {
  /**
   * Fire times to hand to the executor, earliest first; with coalesce only the newest. Each is
   * checked against the misfire grace time when its run starts, not here.
   */
  readonly due: Date[];
  /** Fire times of a backlog too long to walk, missed whatever happens (at most MAX_BACKLOG listed). */
  readonly missed: Date[];
  /** The first fire time after the due ones, or null when the trigger is done. */
  readonly next: Date | null;
}

/**
 * APScheduler's `_get_run_times`: the fire times from the job's next run time up to `now`, every
 * one of them submitted (with coalesce, only the newest: the others were never going to run, so
 * they are not reported missed). A backlog longer than MAX_BACKLOG is not walked in full: without
 * coalesce its times older than the grace time are listed as missed, with coalesce it is jumped to
 * its newest time.
 */
export function planDue(trigger: Trigger, nextRunTime: Date, now: Date, misfireGraceTime: number | null, coalesce: boolean): DuePlan {
  if (coalesce) {
    const { newest, next } = newestDue(trigger, nextRunTime, now);
    return { due: newest === null ? [] : [newest], missed: [], next };
  }
  const cutoff = misfireGraceTime === null ? Number.NEGATIVE_INFINITY : now.getTime() - misfireGraceTime * 1000;
  const due: Date[] = [];
  const missed: Date[] = [];
  // due[first..] are kept; what is before `first` went to missed. Dropped in blocks, not shifted
  // one by one, so a long backlog costs O(1) per fire time.
  let first = 0;
  let time: Date | null = nextRunTime;
  while (time !== null && time.getTime() <= now.getTime()) {
    if (due.length - first >= MAX_BACKLOG) {
      // Too long to run in full: the oldest go to missed (they are at least this late, and more
      // would have to wait for a thousand runs), and past the cutoff the walk jumps to it.
      const oldest = due[first++] as Date;
      if (first === MAX_BACKLOG) {
        due.splice(0, first);
        first = 0;
      }
      if (missed.length < MAX_BACKLOG) missed.push(oldest);
      if (time.getTime() < cutoff) {
        const jumped = trigger.getNextFireTime(null, new Date(cutoff));
        if (jumped !== null && jumped.getTime() > time.getTime()) {
          time = jumped;
          continue;
        }
      }
    }
    due.push(time);
    time = laterFireTime(trigger, time, now);
  }
  return { due: first === 0 ? due : due.slice(first), missed, next: time };
}

/**
 * The newest fire time at or before `now`, walking from `from` (null when `from` is after
 * `now`), the times passed over on the way (at most MAX_BACKLOG of them), and the fire time after
 * the newest. A walk longer than MAX_BACKLOG probes back from `now` for a later starting point.
 */
export function newestDue(trigger: Trigger, from: Date, now: Date): { newest: Date | null; passed: Date[]; next: Date | null } {
  const passed: Date[] = [];
  let newest: Date | null = null;
  let time: Date | null = from;
  let steps = 0;
  while (time !== null && time.getTime() <= now.getTime()) {
    if (newest !== null && passed.length < MAX_BACKLOG) passed.push(newest);
    newest = time;
    if (++steps % MAX_BACKLOG === 0) {
      const closer = probeBack(trigger, time, now);
      if (closer !== null) {
        time = closer;
        continue;
      }
    }
    time = laterFireTime(trigger, time, now);
  }
  return { newest, passed, next: time };
}

/** A fire time after `after` and at or before `now`, found by asking from ever further back; null if none is found. */
function probeBack(trigger: Trigger, after: Date, now: Date): Date | null {
  const span = now.getTime() - after.getTime();
  for (let back = 1000; back < span; back *= 2) {
    const candidate = trigger.getNextFireTime(null, new Date(now.getTime() - back));
    if (candidate !== null && candidate.getTime() > after.getTime() && candidate.getTime() <= now.getTime()) return candidate;
  }
  return null;
}

/** The trigger's next fire time after `previous`, guarded against a trigger that does not move forward. */
export function laterFireTime(trigger: Trigger, previous: Date, now: Date): Date | null {
  const next = trigger.getNextFireTime(previous, now);
  return next !== null && next.getTime() <= previous.getTime() ? null : next;
}
