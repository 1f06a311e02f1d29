import type { IANAZone } from 'luxon';
import { DAY_MS, firstInstant, gapEnd, instantOfWall, offsetAt, searchStart, transitionBetween, wallMillis, wallOfMillis, type Wall } from './wall-clock.js';

/**
 * The DST rule of the wall-clock triggers (cron, calendar interval), in one place:
 *
 * - a matching wall time that does not exist (spring forward) fires moved forward by the gap's
 *   length, as clocks are (APScheduler 3, Quartz): it still fires that day;
 * - a matching wall time that occurs twice (fall back) fires at its first occurrence, or in both
 *   when the schedule follows the clock (a cron hour field that allows every hour), as cron
 *   runs wildcard-hour jobs;
 * - the fire times are the set of those instants, in order: a moved time that coincides with a
 *   real one fires once.
 */
export interface WallSchedule {
  /** The first matching wall time at or after `from`, or null when there is none up to 9999. */
  nextWall(from: Wall): Wall | null;
  /** Whether a repeated wall time fires in both of its occurrences. */
  readonly followsClock: boolean;
}

/** Passes over candidates before giving up: each returns or moves past one wall time. */
const MAX_PASSES = 1000;

/** Two days before 1970: any fire time (its wall year 1970 or later) is after this. */
const EARLIEST = -2 * DAY_MS;

/**
 * The first fire time at or after `notBefore` under the DST rule, or null. Fire times are whole
 * seconds.
 *
 * Wall order is not time order near a change: a gap's wall time w fires at w + gap, after the real
 * wall times between the gap's end and w + gap; a repeated hour's second pass comes after the
 * first pass of all its wall times. Both lie within the change's length after the change, so the
 * search in wall order is corrected there, and only there: a zone with no change within a day of
 * the time asked about costs three offset look-ups.
 */
export function nextFireInstant(schedule: WallSchedule, zone: IANAZone, notBefore: number): number | null {
  // No wall time from 1970 on is shown before 1969-12-31T10:00Z (UTC+14): start no earlier than that.
  const from = Math.ceil(Math.max(notBefore, EARLIEST) / 1000) * 1000;
  const [before, at, next] = [offsetAt(zone, from - DAY_MS), offsetAt(zone, from), offsetAt(zone, from + DAY_MS)];
  if (before === at && at === next) {
    const wall = schedule.nextWall(wallOfMillis(from + at));
    if (wall === null) return null;
    // Within a day the offset is known; past it, a change may come first.
    const instant = wallMillis(wall) - at;
    return instant <= from + DAY_MS ? instant : inWallOrder(schedule, zone, wall, from);
  }
  // Only after a change can `from` lie in a repeated hour's second pass, whose wall times already occurred.
  const start = before === at ? wallOfMillis(from + at) : searchStart(from, zone);
  let best = inWallOrder(schedule, zone, start, from) ?? Number.POSITIVE_INFINITY;
  if (before !== at) {
    // A change in the day before `from`: a gap's moved wall times, or a repeated hour's second
    // pass, may still lie ahead, though their wall times are behind the clock's.
    const change = transitionBetween(from - DAY_MS, from, zone);
    if (at > before && from < change + at - before) best = Math.min(best, firstIn(schedule, from + before, change + at, before));
    if (at < before && schedule.followsClock && from < change + before - at) best = Math.min(best, firstIn(schedule, from + at, change + before, at));
  }
  if (next < at && schedule.followsClock) {
    // A repeat in the day after `from`: its second pass comes before the wall times after it.
    const change = transitionBetween(from, from + DAY_MS, zone);
    best = Math.min(best, firstIn(schedule, change + next, change + at, next));
  }
  return best === Number.POSITIVE_INFINITY ? null : best;
}

/**
 * The first fire time at or after `from` met searching wall times from `start` in order: a first
 * occurrence, or a wall time in a gap moved forward, unless a real wall time after the gap
 * (necessarily before the gap's length is over) comes first.
 */
function inWallOrder(schedule: WallSchedule, zone: IANAZone, start: Wall, from: number): number | null {
  let wall = start;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const candidate = schedule.nextWall(wall);
    if (candidate === null) return null;
    const instant = firstInstant(candidate, zone);
    if (instant === null) {
      const moved = instantOfWall(candidate, zone);
      const real = schedule.nextWall(gapEnd(candidate, zone));
      const realInstant = real === null ? null : firstInstant(real, zone);
      return realInstant === null ? moved : Math.min(moved, realInstant);
    }
    if (instant >= from) return instant;
    wall = wallOfMillis(wallMillis(candidate) + 1000);
  }
  return null;
}

/**
 * The first matching wall time in [from, to) (wall milliseconds) as the instant it has at `offset`,
 * or +Infinity when there is none.
 */
function firstIn(schedule: WallSchedule, from: number, to: number, offset: number): number {
  const wall = schedule.nextWall(wallOfMillis(from));
  return wall !== null && wallMillis(wall) < to ? wallMillis(wall) - offset : Number.POSITIVE_INFINITY;
}
