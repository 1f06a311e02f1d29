import { CronTrigger } from '@jobstore/core';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { allowsEveryHour, list, numeric, type Expr } from './cron-oracle.js';

const HOUR = 3_600_000;

/** The hour, minute or second of a wall time (ms read as UTC): plain arithmetic, as the oracle reads every second of a day. */
const clock = (wall: number, unit: number, count: number): number => Math.floor(wall / unit) % count;

/** A local day with one change of offset, and every instant of it enumerated at one step. */
interface DstDay {
  readonly zone: string;
  readonly date: string;
  /** Instants from before the day's first wall time to after its last, in order. */
  readonly instants: readonly number[];
  /** The wall time (ms read as UTC) at each instant. */
  readonly walls: readonly number[];
  /** Whether each instant shows its wall time for the first time. */
  readonly first: readonly boolean[];
  /** The wall times that never show (a gap), each with the instant of the wall time moved forward by the gap. */
  readonly gapWalls: readonly (readonly [number, number])[];
  /** The first instants that show the day's first wall time and the next day's. */
  readonly start: number;
  readonly end: number;
}

const days = new Map<string, DstDay>();

/**
 * The oracle's view of a DST day, built here from offsets alone: every `step` ms over the day and
 * 16 hours either side (offsets run from -12 to +14), which wall time the clock shows.
 */
function dstDay(zone: string, date: string, step: number): DstDay {
  const key = `${zone} ${date} ${step}`;
  const known = days.get(key);
  if (known !== undefined) return known;
  const z = IANAZone.create(zone);
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const [from, to] = [dayStart - 16 * HOUR, dayStart + 40 * HOUR];
  const offset = (t: number): number => z.offset(t) * 60_000;
  // The one change: found by bisection, then the offsets either side of it are constant.
  let [low, high] = [from, to];
  expect(offset(low), `${zone} changes its offset around ${date}`).not.toBe(offset(high));
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offset(middle) === offset(from)) low = middle;
    else high = middle;
  }
  const [change, before, after] = [high, offset(from), offset(to)];
  const instants: number[] = [];
  const walls: number[] = [];
  const first: boolean[] = [];
  const shown = new Map<number, number>();
  for (let t = from; t < to; t += step) {
    const wall = t + (t < change ? before : after);
    instants.push(t);
    walls.push(wall);
    first.push(!shown.has(wall));
    if (!shown.has(wall)) shown.set(wall, t);
  }
  const gapWalls: [number, number][] = [];
  for (let wall = walls[0] as number; wall < (walls[walls.length - 1] as number); wall += step) {
    if (!shown.has(wall)) gapWalls.push([wall, shown.get(wall + after - before) as number]);
  }
  const startOf = (wall: number): number => DateTime.fromMillis(wall, { zone: 'UTC' }).setZone(zone, { keepLocalTime: true }).toMillis();
  const day = { zone, date, instants, walls, first, gapWalls, start: startOf(dayStart), end: startOf(dayStart + 24 * HOUR) };
  days.set(key, day);
  return day;
}

/**
 * The fire times from the day's start until the next day's under the DST rule, by brute force:
 * every instant whose wall time matches (a repeat only when the trigger follows the clock), and
 * every matching wall time in the gap at its moved instant; sorted, each once. (A repeat can hold
 * wall times of the day before, when the clocks go back across midnight.)
 */
function oracle(day: DstDay, matches: (wall: number) => boolean, followsClock: boolean): number[] {
  const fires = new Set<number>();
  day.walls.forEach((wall, i) => {
    if ((day.first[i] || followsClock) && matches(wall)) fires.add(day.instants[i] as number);
  });
  for (const [wall, moved] of day.gapWalls) if (matches(wall)) fires.add(moved);
  return [...fires].filter((t) => t >= day.start && t < day.end).sort((a, b) => a - b);
}

/** Compares fire times as numbers (fast), and as ISO strings when they differ (readable). */
function expectTimes(actual: number[], expected: number[], message: string): void {
  if (actual.length === expected.length && actual.every((t, i) => t === expected[i])) return;
  expect(
    actual.map((t) => new Date(t).toISOString()),
    message,
  ).toStrictEqual(expected.map((t) => new Date(t).toISOString()));
}

/** The trigger's fire times from the day's start until the next day's, each asked after the one before. */
function walk(trigger: CronTrigger, day: DstDay): number[] {
  const out: number[] = [];
  let previous: Date | null = null;
  for (;;) {
    const next: Date | null = trigger.getNextFireTime(previous, new Date(day.start));
    if (next === null || next.getTime() >= day.end) return out;
    // A plain check: expect() for each of thousands of fire times costs more than the search.
    if (previous !== null && next.getTime() <= previous.getTime()) throw new Error(`${trigger}: ${next.toISOString()} is not after ${previous.toISOString()}`);
    out.push(next.getTime());
    previous = next;
  }
}

// 2024's changes, and Troll's 2-hour ones; Santiago and Havana change at midnight, Goose Bay went
// back 2 hours across midnight in 1988, Casey moves by 3 hours, Apia lost 2011-12-30 whole.
const DAYS: readonly (readonly [string, string])[] = [
  ['America/New_York', '2024-03-10'],
  ['America/New_York', '2024-11-03'],
  ['Europe/Berlin', '2024-03-31'],
  ['Europe/Berlin', '2024-10-27'],
  ['Australia/Lord_Howe', '2024-10-06'],
  ['Australia/Lord_Howe', '2024-04-07'],
  ['Pacific/Chatham', '2024-09-29'],
  ['Pacific/Chatham', '2024-04-07'],
  ['Antarctica/Troll', '2024-03-31'],
  ['Antarctica/Troll', '2024-10-27'],
  ['America/Santiago', '2024-09-08'],
  ['America/Santiago', '2024-04-06'],
  ['America/Havana', '2024-03-10'],
  ['America/Goose_Bay', '1988-10-30'],
  ['Antarctica/Casey', '2018-10-07'],
  ['Antarctica/Casey', '2018-03-11'],
  ['Pacific/Apia', '2011-12-31'],
];

// Hours and minutes around the changes (01:00 to 04:00 here) come up often, the rest at random.
const hours = fc.oneof(
  list(numeric(0, 23)),
  fc.constantFrom<Expr>(
    { text: '*', test: () => true },
    { text: '2', test: (h) => h === 2 },
    { text: '1-3', test: (h) => h >= 1 && h <= 3 },
    { text: '2-3', test: (h) => h === 2 || h === 3 },
    { text: '0-23', test: () => true },
    { text: '*/2', test: (h) => h % 2 === 0 },
    { text: '0,23', test: (h) => h === 0 || h === 23 },
  ),
);
const minutes = fc.oneof(
  list(numeric(0, 59)),
  fc.constantFrom<Expr>(
    { text: '0', test: (m) => m === 0 },
    { text: '10,50', test: (m) => m === 10 || m === 50 },
    { text: '0,45', test: (m) => m === 0 || m === 45 },
    { text: '15,45', test: (m) => m === 15 || m === 45 },
    { text: '*/30', test: (m) => m % 30 === 0 },
  ),
);
// Mostly at second 0 (the oracle then reads every minute); otherwise at most 2 a minute, so that a
// day's walk (some 50 µs a call within a day of a change) stays short.
const seconds = fc.oneof(
  { arbitrary: fc.constant<Expr>({ text: '0', test: (s) => s === 0 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 59 }).map((a): Expr => ({ text: String(a), test: (s) => s === a })), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 29 }).map((a): Expr => ({ text: `${a}/30`, test: (s) => s % 30 === a })), weight: 1 },
);

// The time fields' expressions here read only the value, not the rest of the reading.
const sample = { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 0, week: 1, lastDay: 31 };

describe('the DST rule against a brute-force oracle', () => {
  it('walking getNextFireTime over a DST day gives exactly the sorted, de-duplicated fire times of every matching wall time of the day', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAYS), hours, minutes, seconds, ([zone, date], hour, minute, second) => {
        const day = dstDay(zone, date, second.text === '0' ? 60_000 : 1000);
        const matches = (wall: number): boolean => hour.test(clock(wall, HOUR, 24), sample) && minute.test(clock(wall, 60_000, 60), sample) && second.test(clock(wall, 1000, 60), sample);
        const trigger = new CronTrigger({ hour: hour.text, minute: minute.text, second: second.text, timezone: zone });
        const expected = oracle(day, matches, allowsEveryHour(hour, sample));
        expectTimes(walk(trigger, day), expected, `${trigger} in ${zone} on ${date}`);
      }),
      { numRuns: 300 },
    );
  });

  it('crontab lines follow the same rule (hour * follows the clock) on every DST day', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAYS), hours, minutes, ([zone, date], hour, minute) => {
        const day = dstDay(zone, date, 60_000);
        const matches = (wall: number): boolean => clock(wall, 1000, 60) === 0 && hour.test(clock(wall, HOUR, 24), sample) && minute.test(clock(wall, 60_000, 60), sample);
        const trigger = CronTrigger.fromCrontab(`${minute.text} ${hour.text} * * *`, { timezone: zone });
        const expected = oracle(day, matches, allowsEveryHour(hour, sample));
        expectTimes(walk(trigger, day), expected, `${trigger} in ${zone} on ${date}`);
      }),
      { numRuns: 100 },
    );
  });
});
