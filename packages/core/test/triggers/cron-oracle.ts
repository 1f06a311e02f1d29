import fc from 'fast-check';
import { IANAZone } from 'luxon';

/** A wall-clock reading with what the day fields need, computed by the tests independently of the library. */
export interface Reading {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Monday. */
  readonly weekday: number;
  readonly week: number;
  readonly lastDay: number;
}

/** An expression and the values it accepts (the oracle, built with the expression, not parsed from it). */
export interface Expr {
  readonly text: string;
  readonly test: (value: number, reading: Reading) => boolean;
}

export const anyOf = (parts: Expr[]): Expr => ({ text: parts.map((p) => p.text).join(','), test: (v, r) => parts.some((p) => p.test(v, r)) });

/** APScheduler's numeric forms over min..max; every step within the range it steps over, as APScheduler requires. */
export function numeric(min: number, max: number, upTo = max): fc.Arbitrary<Expr> {
  const value = fc.integer({ min, max: upTo });
  const ordered = fc.tuple(value, value).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
  return fc.oneof(
    fc.constant<Expr>({ text: '*', test: () => true }),
    fc.integer({ min: 1, max: Math.min(max - min, 40) }).map((step): Expr => ({ text: `*/${step}`, test: (v) => (v - min) % step === 0 })),
    value.map((a): Expr => ({ text: String(a), test: (v) => v === a })),
    ordered.map(([a, b]): Expr => ({ text: `${a}-${b}`, test: (v) => v >= a && v <= b })),
    fc
      .tuple(ordered, fc.integer({ min: 1, max: 20 }))
      .filter(([[a, b], step]) => step <= b - a)
      .map(([[a, b], step]): Expr => ({ text: `${a}-${b}/${step}`, test: (v) => v >= a && v <= b && (v - a) % step === 0 })),
    fc
      .tuple(fc.integer({ min, max: Math.min(upTo, max - 1) }), fc.integer({ min: 1, max: 20 }))
      .filter(([a, step]) => step <= max - a)
      .map(([a, step]): Expr => ({ text: `${a}/${step}`, test: (v) => v >= a && (v - a) % step === 0 })),
  );
}

/** A comma list of one to three expressions. */
export const list = (part: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> => fc.array(part, { minLength: 1, maxLength: 3 }).map(anyOf);

/** Whether an hour expression allows every hour: such a cron trigger follows the clock through a repeated hour. */
export function allowsEveryHour(hour: Expr, reading: Reading): boolean {
  return Array.from({ length: 24 }, (_, h) => h).every((h) => hour.test(h, reading));
}

/** The reading of a wall time given as milliseconds read as UTC (wall-clock arithmetic without a zone). */
export function readWall(naive: number): Reading {
  const d = new Date(naive);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const weekday = (d.getUTCDay() + 6) % 7;
  return {
    year,
    month,
    day,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday,
    week: isoWeek(year, month, day, weekday),
    lastDay: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** What the wall clock in `zone` shows at instant `t`. */
export function read(t: number, zone: string): Reading {
  return readWall(t + IANAZone.create(zone).offset(t) * 60_000);
}

/** ISO week by the ordinal-date formula (week = (ordinal - weekday + 10) / 7, then the year-end fixes). */
function isoWeek(year: number, month: number, day: number, weekday: number): number {
  const ordinal = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const week = Math.floor((ordinal - (weekday + 1) + 10) / 7);
  const weeksIn = (y: number): number => {
    const p = (x: number): number => (x + Math.floor(x / 4) - Math.floor(x / 100) + Math.floor(x / 400)) % 7;
    return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
  };
  if (week < 1) return weeksIn(year - 1);
  return week > weeksIn(year) ? 1 : week;
}

/** Whether the wall time of `t` was already shown earlier (the second pass of a fall-back hour). */
export function isRepeat(t: number, zone: string): boolean {
  const z = IANAZone.create(zone);
  const now = z.offset(t);
  const before = z.offset(t - 3 * 3_600_000);
  if (before <= now) return false;
  const earlier = t - (before - now) * 60_000;
  return z.offset(earlier) === before;
}

/**
 * Whether instant `t` is a fire time under the DST rule: the clock matches (in a repeated hour's
 * second pass only when the trigger follows the clock), or `t` lies within a gap's length after a
 * spring-forward and the wall time the clock would show without the change (a wall time in the
 * gap, moved forward) matches. Changes here are 3 hours or less.
 */
export function isFireTime(t: number, zone: string, matches: (r: Reading) => boolean, followsClock: boolean): boolean {
  if (matches(read(t, zone)) && (followsClock || !isRepeat(t, zone))) return true;
  const z = IANAZone.create(zone);
  const [before, now] = [z.offset(t - 3 * 3_600_000), z.offset(t)];
  if (before >= now) return false;
  const gap = (now - before) * 60_000;
  return z.offset(t - gap) === before && matches(readWall(t + before * 60_000));
}
