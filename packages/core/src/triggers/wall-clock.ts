import { IANAZone } from 'luxon';

/**
 * Wall-clock time in a zone, and the way back to instants. Cron and calendar-interval triggers
 * search in wall time and map back with these helpers; dst.ts decides which instants fire. Here a
 * wall time that does not exist (a spring-forward gap) has no instant of its own (instantOfWall
 * moves it forward by the gap), and one that occurs twice (fall back) has two, of which
 * firstInstant gives the earlier.
 *
 * The helpers assume a zone changes its offset at most once within a day either side of the wall
 * time asked about, and by at most a day: this holds for every zone in the tz database since 1970
 * (no two changes are within 2 days of each other; the largest, Kwajalein's and Apia's, are 24 hours).
 */
export interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export const DAY_MS = 86_400_000;

const zones = new Map<string, IANAZone>();

/** The zone by IANA name, or null when there is no such zone. */
export function findZone(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    if (!IANAZone.isValidZone(name)) return null;
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

/** Days since 1970-01-01 of a (proleptic Gregorian) date; months and days may overflow. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateOfEpochDay(days: number): { year: number; month: number; day: number } {
  const date = new Date(days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/** The ISO 8601 week number: week 1 holds the year's first Thursday. */
export function isoWeekOf(days: number): number {
  const thursday = days - weekdayOf(days) + 3;
  return Math.floor((thursday - epochDay(dateOfEpochDay(thursday).year, 1, 1)) / 7) + 1;
}

/** The wall time read as if it were UTC: wall-clock arithmetic without a zone. */
export function wallMillis(wall: Wall): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

export function wallOfMillis(millis: number): Wall {
  const date = new Date(millis);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** The zone's UTC offset at `instant`, in milliseconds. */
export function offsetAt(zone: IANAZone, instant: number): number {
  return Math.round(zone.offset(instant) * 60_000);
}

/** What the wall clock in `zone` shows at `instant`. */
export function toWall(instant: number, zone: IANAZone): Wall {
  return wallOfMillis(instant + offsetAt(zone, instant));
}

/** The earliest instant at which `zone` shows `wall`, or null when the wall time falls in a DST gap. */
export function firstInstant(wall: Wall, zone: IANAZone): number | null {
  const naive = wallMillis(wall);
  let first: number | null = null;
  for (const offset of new Set([offsetAt(zone, naive - DAY_MS), offsetAt(zone, naive), offsetAt(zone, naive + DAY_MS)])) {
    const instant = naive - offset;
    if (offsetAt(zone, instant) === offset && (first === null || instant < first)) first = instant;
  }
  return first;
}

/** The change each zone was last found to make: asked about again and again near it, it is found once. */
const lastChange = new WeakMap<IANAZone, { readonly at: number; readonly before: number }>();

/**
 * The first whole second in (from, to] whose offset differs from the offset at `from` (both
 * second-aligned, at most two days apart, with a change between them).
 */
export function transitionBetween(from: number, to: number, zone: IANAZone): number {
  const before = offsetAt(zone, from);
  // No two changes are within two days: a known change in the span, from the same offset, is the one.
  const known = lastChange.get(zone);
  if (known !== undefined && known.at > from && known.at <= to && known.before === before) return known.at;
  let [low, high] = [from, to];
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(zone, middle) === before) low = middle;
    else high = middle;
  }
  lastChange.set(zone, { at: high, before });
  return high;
}

/** For a wall time in a DST gap: the first wall time after it that exists (where the gap ends). */
export function gapEnd(wall: Wall, zone: IANAZone): Wall {
  const naive = wallMillis(wall);
  if (offsetAt(zone, naive - DAY_MS) === offsetAt(zone, naive + DAY_MS)) return wallOfMillis(naive + 1000);
  return toWall(transitionBetween(naive - DAY_MS, naive + DAY_MS, zone), zone);
}

/**
 * The instant of a wall time given as an option (a date string without an offset): the first
 * occurrence, and in a DST gap the wall time moved forward by the gap, as clocks are.
 */
export function instantOfWall(wall: Wall, zone: IANAZone): number {
  const naive = wallMillis(wall);
  return firstInstant(wall, zone) ?? naive - offsetAt(zone, naive - DAY_MS);
}
