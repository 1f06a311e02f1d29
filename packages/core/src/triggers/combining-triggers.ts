import { InvalidTriggerError } from '../errors.js';
import { checkKeys, checkTimes } from './options.js';
import type { AndTriggerJSON, OrTriggerJSON, Trigger } from './trigger.js';

/** Options of {@link AndTrigger}. */
export interface AndTriggerOptions {
  /** Most seconds the triggers' fire times may lie apart and still count as agreeing. Default 1. */
  readonly threshold?: number;
  /** Tries to line the triggers up before giving up (null). Default 10,000. */
  readonly maxIterations?: number;
}

function checkTriggers(triggers: unknown, kind: string): readonly Trigger[] {
  const isTrigger = (t: unknown): boolean => typeof (t as Trigger | null)?.getNextFireTime === 'function' && typeof (t as Trigger).toJSON === 'function';
  if (!Array.isArray(triggers) || triggers.length === 0 || !triggers.every(isTrigger)) {
    throw new InvalidTriggerError(kind, 'triggers', triggers, 'must be a non-empty array of triggers');
  }
  return Object.freeze([...(triggers as Trigger[])]);
}

/** The triggers with the default zone given to each (see {@link Trigger.withDefaultTimezone}); the same array when none changed. */
function withDefaultZone(triggers: readonly Trigger[], timezone: string): readonly Trigger[] {
  const changed = triggers.map((trigger) => trigger.withDefaultTimezone?.(timezone) ?? trigger);
  return changed.every((trigger, i) => trigger === triggers[i]) ? triggers : changed;
}

/**
 * Fires when all its triggers fire within `threshold` seconds of each other, at the latest of
 * their fire times (APScheduler 4's AndTrigger, with `threshold` and `maxIterations`); null once
 * any trigger is done, or after `maxIterations` tries to line them up.
 *
 * Unlike APScheduler 4, which returns the earliest of the agreeing times and then advances its
 * stateful children past all of them, this returns the latest: the triggers here keep no state,
 * so the next call, from the latest, moves every child past the times that agreed.
 */
export class AndTrigger implements Trigger {
  readonly triggers: readonly Trigger[];
  readonly threshold: number;
  readonly maxIterations: number;

  constructor(triggers: readonly Trigger[], options: AndTriggerOptions = {}) {
    this.triggers = checkTriggers(triggers, 'and');
    const o = checkKeys(options, ['threshold', 'maxIterations'], 'and');
    this.threshold = (o['threshold'] as number | undefined) ?? 1;
    this.maxIterations = (o['maxIterations'] as number | undefined) ?? 10_000;
    if (typeof this.threshold !== 'number' || !Number.isFinite(this.threshold) || this.threshold < 0) {
      throw new InvalidTriggerError('and', 'threshold', this.threshold, 'must be a number of seconds, 0 or more');
    }
    if (!Number.isSafeInteger(this.maxIterations) || this.maxIterations < 1) throw new InvalidTriggerError('and', 'maxIterations', this.maxIterations, 'must be a positive integer');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    checkTimes(previousFireTime, now);
    const threshold = this.threshold * 1000;
    let times = this.triggers.map((trigger) => trigger.getNextFireTime(previousFireTime, now)?.getTime() ?? null);
    for (let i = 0; i < this.maxIterations; i++) {
      if (times.includes(null)) return null;
      const millis = times as number[];
      const latest = Math.max(...millis);
      if (latest - Math.min(...millis) <= threshold) return new Date(latest);
      // Move each trigger that lags behind to its first fire time at or after latest - threshold.
      const target = latest - threshold;
      times = this.triggers.map((trigger, j) => {
        const time = millis[j] as number;
        return time >= target ? time : (trigger.getNextFireTime(new Date(target - 1), new Date(target))?.getTime() ?? null);
      });
    }
    return null;
  }

  /** See {@link Trigger.withDefaultTimezone}: a new AndTrigger of its triggers in `timezone`, or itself when none changed. */
  withDefaultTimezone(timezone: string): AndTrigger {
    const triggers = withDefaultZone(this.triggers, timezone);
    return triggers === this.triggers ? this : new AndTrigger(triggers, { threshold: this.threshold, maxIterations: this.maxIterations });
  }

  toJSON(): AndTriggerJSON {
    return { type: 'and', triggers: this.triggers.map((t) => t.toJSON()), threshold: this.threshold, maxIterations: this.maxIterations };
  }

  toString(): string {
    return `and[${this.triggers.map(String).join(', ')}]`;
  }
}

/** Fires whenever any of its triggers does: the earliest of their next fire times (APScheduler's OrTrigger). */
export class OrTrigger implements Trigger {
  readonly triggers: readonly Trigger[];

  constructor(triggers: readonly Trigger[]) {
    this.triggers = checkTriggers(triggers, 'or');
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    checkTimes(previousFireTime, now);
    let earliest: Date | null = null;
    for (const trigger of this.triggers) {
      const next = trigger.getNextFireTime(previousFireTime, now);
      if (next !== null && (earliest === null || next < earliest)) earliest = next;
    }
    return earliest;
  }

  /** See {@link Trigger.withDefaultTimezone}: a new OrTrigger of its triggers in `timezone`, or itself when none changed. */
  withDefaultTimezone(timezone: string): OrTrigger {
    const triggers = withDefaultZone(this.triggers, timezone);
    return triggers === this.triggers ? this : new OrTrigger(triggers);
  }

  toJSON(): OrTriggerJSON {
    return { type: 'or', triggers: this.triggers.map((t) => t.toJSON()) };
  }

  toString(): string {
    return `or[${this.triggers.map(String).join(', ')}]`;
  }
}
