import type { IANAZone } from 'luxon';
import { DAY_MS, firstInstant, gapEnd, instantOfWall, offsetAt, transitionBetween, wallMillis, wallOfMillis, type Wall } from './wall-clock.js';

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
 * first pass of all its wall times. So within a day of a change, the change is found once and each
 * stretch of time around it is searched at its own offset; farther away, wall times are searched
 * in order and each mapped back on its own. With no change within a day either side, a call costs
 * three offset look-ups.
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
  const change = before !== at ? transitionBetween(from - DAY_MS, from, zone) : transitionBetween(from, from + DAY_MS, zone);
  const [early, late] = before !== at ? [before, at] : [at, next];
  // Changes are more than two days apart: until then the offset stays `late`.
  const horizon = change + 2 * DAY_MS;
  const near = nearChange(schedule, from, { at: change, early, late, horizon });
  return near ?? inWallOrder(schedule, zone, wallOfMillis(horizon + late), horizon);
}

/** A change of offset at instant `at`: `early` before it, `late` from it until `horizon` (all ms). */
interface Change {
  readonly at: number;
  readonly early: number;
  readonly late: number;
  readonly horizon: number;
}

/** The first fire time in [from, horizon) around one change, each stretch read at its own offset; null when none. */
function nearChange(schedule: WallSchedule, from: number, { at: change, early, late, horizon }: Change): number | null {
  // Before the change, the clock shows every wall time for the first time.
  if (from < change) {
    const instant = firstIn(schedule, from + early, change + early, early);
    if (instant !== null) return instant;
  }
  const start = Math.max(from, change);
  // After it, a gap's wall times fire moved forward by the gap (read at the early offset) ...
  const moved = late > early ? firstIn(schedule, start + early, change + late, early) : null;
  // ... and the clock's: a repeated hour's wall times again only when following the clock.
  const repeatEnd = late < early && !schedule.followsClock ? change + early : Number.NEGATIVE_INFINITY;
  const real = firstIn(schedule, Math.max(start + late, repeatEnd), horizon + late, late);
  return moved === null || (real !== null && real < moved) ? real : moved;
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
 * or null when there is none.
 */
function firstIn(schedule: WallSchedule, from: number, to: number, offset: number): number | null {
  const wall = schedule.nextWall(wallOfMillis(from));
  return wall !== null && wallMillis(wall) < to ? wallMillis(wall) - offset : null;
}
