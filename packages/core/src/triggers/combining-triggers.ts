import { InvalidTriggerError } from '../errors.js';
import type { AndTriggerJSON, OrTriggerJSON, Trigger } from './trigger.js';

function checkTriggers(triggers: unknown, kind: string): readonly Trigger[] {
  if (!Array.isArray(triggers) || triggers.length === 0 || !triggers.every((t) => typeof (t as Trigger | null)?.getNextFireTime === 'function')) {
    throw new InvalidTriggerError(kind, 'triggers', triggers, 'must be a non-empty array of triggers');
  }
  return [...triggers] as Trigger[];
}

/**
 * Fires when all its triggers fire within `threshold` seconds of each other, at the latest of
 * their times (APScheduler 4's AndTrigger); null after `maxIterations` tries to line them up.
 */
export class AndTrigger implements Trigger {
  readonly triggers: readonly Trigger[];
  readonly threshold: number;
  readonly maxIterations: number;

  constructor(triggers: readonly Trigger[], options: { threshold?: number; maxIterations?: number } = {}) {
    this.triggers = checkTriggers(triggers, 'and');
    this.threshold = options.threshold ?? 1;
    this.maxIterations = options.maxIterations ?? 10_000;
    if (typeof this.threshold !== 'number' || !(this.threshold >= 0)) throw new InvalidTriggerError('and', 'threshold', this.threshold, 'must be a number of seconds, 0 or more');
    if (!Number.isInteger(this.maxIterations) || this.maxIterations < 1) throw new InvalidTriggerError('and', 'maxIterations', this.maxIterations, 'must be a positive integer');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const threshold = this.threshold * 1000;
    let times = this.triggers.map((trigger) => trigger.getNextFireTime(previousFireTime, now));
    for (let i = 0; i < this.maxIterations; i++) {
      if (times.some((t) => t === null)) return null;
      const millis = (times as Date[]).map((t) => t.getTime());
      const latest = Math.max(...millis);
      if (latest - Math.min(...millis) <= threshold) return new Date(latest);
      // Bring every trigger that lags behind up to the latest time (less the threshold).
      const target = new Date(latest - threshold);
      times = this.triggers.map((trigger, j) => {
        const current = times[j] as Date;
        if (current.getTime() >= target.getTime()) return current;
        const next = trigger.getNextFireTime(null, target);
        return next !== null && next.getTime() > current.getTime() ? next : trigger.getNextFireTime(current, target);
      });
    }
    return null;
  }

  toJSON(): AndTriggerJSON {
    return { type: 'and', triggers: this.triggers.map((t) => t.toJSON()), threshold: this.threshold, maxIterations: this.maxIterations };
  }

  toString(): string {
    return `and[${this.triggers.map(String).join(', ')}]`;
  }
}

/** Fires whenever any of its triggers does: the earliest of their next fire times (APScheduler 4's OrTrigger). */
export class OrTrigger implements Trigger {
  readonly triggers: readonly Trigger[];

  constructor(triggers: readonly Trigger[]) {
    this.triggers = checkTriggers(triggers, 'or');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    let earliest: Date | null = null;
    for (const trigger of this.triggers) {
      const next = trigger.getNextFireTime(previousFireTime, now);
      if (next !== null && (earliest === null || next < earliest)) earliest = next;
    }
    return earliest;
  }

  toJSON(): OrTriggerJSON {
    return { type: 'or', triggers: this.triggers.map((t) => t.toJSON()) };
  }

  toString(): string {
    return `or[${this.triggers.map(String).join(', ')}]`;
  }
}
