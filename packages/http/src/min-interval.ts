import { describeValue, IntervalTrigger, InvalidArgumentError, type Trigger } from '@jobstore/core';
import type { Scheduler, TriggerOptions, TriggerType } from '@jobstore/scheduler';
import { BadRequestError } from './schemas.js';

/** Default of HandlerOptions.minIntervalSeconds: a job created through the API runs at most once a second. */
export const DEFAULT_MIN_INTERVAL_SECONDS = 1;

/** Fire times of a cron or calendarInterval trigger whose gaps are checked against the minimum. */
export const CHECKED_FIRE_TIMES = 100;

/**
 * The shortest gap a trigger type can have, in seconds: cron fires on whole seconds;
 * calendarInterval daily at most, a day less a DST change (Casey's 3 h change leaves 21 h).
 */
const SHORTEST_GAP: Partial<Record<TriggerType, number>> = { cron: 1, calendarInterval: 20 * 3600 };

const INTERVAL_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks'] as const;
const CALENDAR_UNITS = ['days', 'weeks', 'months', 'years'] as const;

/** A handler's minimum from its option: the default when absent. InvalidArgumentError for a bad value. */
export function minIntervalSeconds(seconds: unknown = DEFAULT_MIN_INTERVAL_SECONDS): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError(`jobstore http: minIntervalSeconds must be a number of seconds, 0 or more, got ${describeValue(seconds)}`);
  }
  return seconds;
}

const given = (options: TriggerOptions, units: readonly string[]): string => units.find((unit) => (options as Record<string, unknown>)[unit] !== undefined) ?? 'trigger';

/** The cron field a gap comes from: under a minute the seconds, under an hour the minutes, … */
function cronField(gapMs: number): string {
  if (gapMs < 60_000) return 'second';
  if (gapMs < 3_600_000) return 'minute';
  return gapMs < 86_400_000 ? 'hour' : 'day';
}

/** The shortest gap between the trigger's next fire times from `now`, and where; null when it fires once or never. */
function shortestGap(trigger: Trigger, now: Date, belowMs: number): { ms: number; from: Date; to: Date } | null {
  let shortest: { ms: number; from: Date; to: Date } | null = null;
  let previous = trigger.getNextFireTime(null, now);
  for (let i = 1; previous !== null && i < CHECKED_FIRE_TIMES; i++) {
    const next = trigger.getNextFireTime(previous, now);
    if (next === null) break;
    const ms = next.getTime() - previous.getTime();
    if (shortest === null || ms < shortest.ms) shortest = { ms, from: previous, to: next };
    if (ms < belowMs) break;
    previous = next;
  }
  return shortest;
}

/**
 * BadRequestError (400) naming the field when a trigger asked for through the API (made by the
 * scheduler, in its zone, from its clock's now) fires more often
 * than `minSeconds`: an interval trigger by its interval (weeks to seconds summed), cron and
 * calendarInterval by the shortest gap among their next CHECKED_FIRE_TIMES fire times, jitter
 * left out. A date trigger fires once. InvalidTriggerError for a trigger that cannot be built.
 */
export function checkMinInterval(scheduler: Scheduler, type: TriggerType, options: TriggerOptions, minSeconds: number): void {
  if (type === 'date' || minSeconds <= (SHORTEST_GAP[type] ?? 0)) return;
  const { jitter: _jitter, ...steady } = options;
  const trigger = scheduler.makeTrigger(type, steady);
  const minMs = minSeconds * 1000;
  const limit = `the API takes jobs that fire at most every ${minSeconds} s`;
  if (trigger instanceof IntervalTrigger) {
    if (trigger.interval < minMs) throw new BadRequestError(given(options, INTERVAL_UNITS), `the interval is ${trigger.interval / 1000} s; ${limit}`);
    return;
  }
  const gap = shortestGap(trigger, scheduler.now(), minMs);
  if (gap === null || gap.ms >= minMs) return;
  const field = type === 'cron' ? cronField(gap.ms) : given(options, CALENDAR_UNITS);
  throw new BadRequestError(field, `fires ${gap.ms / 1000} s apart (${gap.from.toISOString()} and ${gap.to.toISOString()}); ${limit}`);
}
