import { DateTime, IANAZone } from 'luxon';
import { InvalidTriggerError } from '../errors.js';

/**
 * Wall-clock time in a zone, and the way back to instants. Cron and calendar triggers search in
 * wall time; these helpers apply the DST rules: a wall time that does not exist has no instant
 * (it is skipped), one that occurs twice has two (the earlier one is used).
 */
export interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const zones = new Map<string, IANAZone>();

/** The zone, or InvalidTriggerError naming the field. */
export function zoneOf(name: unknown, trigger: string): IANAZone {
  if (typeof name !== 'string' || !IANAZone.isValidZone(name)) throw new InvalidTriggerError(trigger, 'timezone', name, 'not an IANA time zone name (like "Europe/Berlin" or "UTC")');
  let zone = zones.get(name);
  if (zone === undefined) zones.set(name, (zone = IANAZone.create(name)));
  return zone;
}

export function toWall(instant: number, zone: IANAZone): Wall {
  const local = new Date(instant + zone.offset(instant) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The wall time read as if it were UTC: arithmetic on wall times without a zone. */
export function wallMillis(wall: Wall): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

export function wallFromMillis(millis: number): Wall {
  const date = new Date(millis);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() };
}

/** The instants showing `wall` in the zone, earliest first: none in a DST gap, two in an overlap. */
export function instantsOf(wall: Wall, zone: IANAZone): number[] {
  const naive = wallMillis(wall);
  // Offsets change at most once in a day around here: the offsets a day either side cover both sides.
  const offsets = new Set([zone.offset(naive - 86_400_000), zone.offset(naive), zone.offset(naive + 86_400_000)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const instant = naive - offset * 60_000;
    if (wallMillis(toWall(instant, zone)) === naive) found.add(instant);
  }
  return [...found].sort((a, b) => a - b);
}

const HAS_OFFSET = /(Z|[+-]\d\d(:?\d\d)?)$/i;

/**
 * A Date, or an ISO 8601 string: with an offset or `Z` it is that instant; without, a wall time in
 * `zone` (a wall time in a DST gap is moved forward by the gap, as clocks are).
 */
export function parseInstant(value: unknown, zone: IANAZone, trigger: string, field: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidTriggerError(trigger, field, value, 'an invalid Date');
    return value.getTime();
  }
  if (typeof value === 'string') {
    const text = value.trim().replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2');
    const parsed = HAS_OFFSET.test(text) ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone });
    if (parsed.isValid) return parsed.toMillis();
  }
  throw new InvalidTriggerError(trigger, field, value, 'expected a Date or an ISO 8601 date-time string');
}

/** A calendar date (`YYYY-MM-DD` or a Date, read in the zone) as a wall time at midnight. */
export function parseCalendarDate(value: unknown, zone: IANAZone, trigger: string, field: string): Wall {
  if (value instanceof Date) {
    const wall = toWall(parseInstant(value, zone, trigger, field), zone);
    return { ...wall, hour: 0, minute: 0, second: 0 };
  }
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value.trim());
    if (match !== null) {
      const wall = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), hour: 0, minute: 0, second: 0 };
      const back = wallFromMillis(wallMillis(wall));
      if (back.year === wall.year && back.month === wall.month && back.day === wall.day) return wall;
    }
  }
  throw new InvalidTriggerError(trigger, field, value, 'expected a Date or a YYYY-MM-DD date');
}

export function isoDate(wall: Wall): string {
  return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Jitter: a uniform random delay of up to `jitter` seconds. */
export function withJitter(instant: number, jitter: number | null, random: () => number): number {
  return jitter === null ? instant : instant + Math.floor(random() * jitter * 1000);
}

/** Checks an optional positive number of seconds. */
export function checkJitter(value: unknown, trigger: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidTriggerError(trigger, 'jitter', value, 'must be a positive number of seconds');
  return value;
}

/** Refuses option keys a trigger does not take, naming the first. */
export function checkKeys(options: unknown, allowed: readonly string[], trigger: string): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidTriggerError(trigger, 'options', options, 'must be an object');
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InvalidTriggerError(trigger, key, (options as Record<string, unknown>)[key], `unknown option (expected ${allowed.join(', ')})`);
  }
  return options as Record<string, unknown>;
}
