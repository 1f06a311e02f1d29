import { CalendarIntervalTrigger, CronTrigger, IntervalTrigger } from '@jobstore/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fires } from './fires.js';

/** The UTC offset (minutes) in `zone` at a local wall time: checks each fixture's transition is real. */
function offset(zone: string, local: string): number {
  return DateTime.fromISO(local, { zone }).offset;
}

interface Edge {
  readonly zone: string;
  /** Local wall times just before and after each transition, with the offsets there. */
  readonly springBefore: [string, number];
  readonly springAfter: [string, number];
  readonly fallBefore: [string, number];
  readonly fallAfter: [string, number];
  /** A daily wall time inside the spring gap, the day of the gap, and when it fires instead. */
  readonly gap: { hour: number; minute: number; from: string; expected: string[] };
  /** A daily wall time inside the repeated fall hour, and its fire times (once, the first time). */
  readonly overlap: { hour: number; minute: number; from: string; expected: string[] };
}

const EDGES: Edge[] = [
  {
    zone: 'America/New_York',
    springBefore: ['2024-03-10T01:59', -300],
    springAfter: ['2024-03-10T03:00', -240],
    fallBefore: ['2024-11-03T00:59', -240],
    fallAfter: ['2024-11-03T02:00', -300],
    gap: { hour: 2, minute: 30, from: '2024-03-09T12:00:00Z', expected: ['2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z'] },
    overlap: { hour: 1, minute: 30, from: '2024-11-02T12:00:00Z', expected: ['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z'] },
  },
  {
    zone: 'Europe/Berlin',
    springBefore: ['2024-03-31T01:59', 60],
    springAfter: ['2024-03-31T03:00', 120],
    fallBefore: ['2024-10-27T01:59', 120],
    fallAfter: ['2024-10-27T03:00', 60],
    gap: { hour: 2, minute: 30, from: '2024-03-30T12:00:00Z', expected: ['2024-04-01T00:30:00Z', '2024-04-02T00:30:00Z'] },
    overlap: { hour: 2, minute: 30, from: '2024-10-26T12:00:00Z', expected: ['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z'] },
  },
  {
    // A 30-minute shift: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April.
    zone: 'Australia/Lord_Howe',
    springBefore: ['2024-10-06T01:59', 630],
    springAfter: ['2024-10-06T02:30', 660],
    fallBefore: ['2024-04-07T01:29', 660],
    fallAfter: ['2024-04-07T02:00', 630],
    gap: { hour: 2, minute: 15, from: '2024-10-05T00:00:00Z', expected: ['2024-10-06T15:15:00Z', '2024-10-07T15:15:00Z'] },
    overlap: { hour: 1, minute: 45, from: '2024-04-06T00:00:00Z', expected: ['2024-04-06T14:45:00Z', '2024-04-07T15:15:00Z'] },
  },
  {
    // UTC+12:45 / +13:45: 02:45 -> 03:45 in September, 03:45 -> 02:45 in April.
    zone: 'Pacific/Chatham',
    springBefore: ['2024-09-29T02:44', 765],
    springAfter: ['2024-09-29T03:45', 825],
    fallBefore: ['2024-04-07T02:44', 825],
    fallAfter: ['2024-04-07T03:45', 765],
    gap: { hour: 3, minute: 0, from: '2024-09-28T00:00:00Z', expected: ['2024-09-29T13:15:00Z', '2024-09-30T13:15:00Z'] },
    overlap: { hour: 3, minute: 0, from: '2024-04-06T00:00:00Z', expected: ['2024-04-06T13:15:00Z', '2024-04-07T14:15:00Z'] },
  },
];

for (const edge of EDGES) {
  describe(`DST in ${edge.zone}`, () => {
    it('the fixture transitions are real (checked against the zone database)', () => {
      for (const [local, minutes] of [edge.springBefore, edge.springAfter, edge.fallBefore, edge.fallAfter]) {
        expect(offset(edge.zone, local), local).toBe(minutes);
      }
    });

    it('cron: a wall time that does not exist is skipped that day', () => {
      const trigger = new CronTrigger({ hour: edge.gap.hour, minute: edge.gap.minute, timezone: edge.zone });
      expect(fires(trigger, edge.gap.from, 2)).toStrictEqual(edge.gap.expected);
    });

    it('cron: a wall time that occurs twice fires once, the first time', () => {
      const trigger = new CronTrigger({ hour: edge.overlap.hour, minute: edge.overlap.minute, timezone: edge.zone });
      expect(fires(trigger, edge.overlap.from, 2)).toStrictEqual(edge.overlap.expected);
    });

    it('calendar interval: the same rules, daily at the same wall time', () => {
      const gap = new CalendarIntervalTrigger({ days: 1, hour: edge.gap.hour, minute: edge.gap.minute, startDate: '2024-01-01', timezone: edge.zone });
      expect(fires(gap, edge.gap.from, 2)).toStrictEqual(edge.gap.expected);
      const overlap = new CalendarIntervalTrigger({ days: 1, hour: edge.overlap.hour, minute: edge.overlap.minute, startDate: '2024-01-01', timezone: edge.zone });
      expect(fires(overlap, edge.overlap.from, 2)).toStrictEqual(edge.overlap.expected);
    });

    it('cron every 15 minutes through both transitions: no skipped instant repeats, none runs twice', () => {
      const trigger = new CronTrigger({ minute: '*/15', timezone: edge.zone });
      for (const from of [edge.gap.from, edge.overlap.from]) {
        const times = fires(trigger, from, 24 * 4 + 8).map((t) => Date.parse(t));
        const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
        expect(new Set(times).size).toBe(times.length);
        // Between consecutive fire times: 15 minutes, or more where wall times were skipped or repeated.
        for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(15 * 60_000);
        // Every fire time's wall clock is on a quarter hour.
        for (const time of times) expect(DateTime.fromMillis(time, { zone: edge.zone }).minute % 15).toBe(0);
      }
    });

    it('interval: counts elapsed time across the transitions', () => {
      const trigger = new IntervalTrigger({ hours: 24, startDate: edge.gap.from, timezone: edge.zone });
      const times = fires(trigger, edge.gap.from, 3).map((t) => Date.parse(t));
      expect(times[1]! - times[0]!).toBe(86_400_000);
      expect(times[2]! - times[1]!).toBe(86_400_000);
    });
  });
}

describe('the fall-back hour, minute by minute, in New York', () => {
  it('*/30 fires 01:00 and 01:30 EDT, then 02:00 EST: not 01:00 or 01:30 EST again', () => {
    const trigger = new CronTrigger({ minute: '*/30', timezone: 'America/New_York' });
    expect(fires(trigger, '2024-11-03T04:45:00Z', 4)).toStrictEqual(['2024-11-03T05:00:00Z', '2024-11-03T05:30:00Z', '2024-11-03T07:00:00Z', '2024-11-03T07:30:00Z']);
  });

  it('asked during the repeated hour, it does not return a time at or before the previous fire time', () => {
    const trigger = new CronTrigger({ minute: '*/15', timezone: 'America/New_York' });
    const previous = new Date('2024-11-03T06:15:00Z'); // 01:15 EST, the second pass
    const next = trigger.getNextFireTime(previous, previous);
    expect(next?.toISOString()).toBe('2024-11-03T07:00:00.000Z');
  });
});
