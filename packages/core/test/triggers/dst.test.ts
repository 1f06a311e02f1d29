import { CalendarIntervalTrigger, CronTrigger, IntervalTrigger } from '@jobstore/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fires } from './fires.js';

/** The UTC offset (minutes) in `zone` at an instant: checks each fixture's transition is real. */
function offsetAt(zone: string, instant: string): number {
  return DateTime.fromISO(instant, { zone }).offset;
}

/** The first instant at or after `instant` whose wall time in `zone` was not shown before (not a fall-back repeat). */
function isFirstOccurrence(t: number, zone: string): boolean {
  const wall = DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
  // Offsets change by at most 2 hours; look back over that span, minute by minute.
  for (let back = 60_000; back <= 2 * 3_600_000; back += 60_000) {
    if (DateTime.fromMillis(t - back, { zone }).toFormat('yyyy-MM-dd HH:mm:ss') === wall) return false;
  }
  return true;
}

interface Edge {
  readonly zone: string;
  /** UTC instants just before and at each transition, with the offsets (minutes) there. */
  readonly spring: { readonly before: [string, number]; readonly after: [string, number] };
  readonly fall: { readonly before: [string, number]; readonly after: [string, number] };
  /** A daily wall time inside the spring gap: it is skipped that day. */
  readonly gap: { hour: number; minute: number; from: string; expected: string[] };
  /** A daily wall time inside the repeated hour: it fires once, at its first occurrence. */
  readonly overlap: { hour: number; minute: number; from: string; expected: string[] };
}

const EDGES: Edge[] = [
  {
    // 2024-03-10 02:00 EST -> 03:00 EDT; 2024-11-03 02:00 EDT -> 01:00 EST.
    zone: 'America/New_York',
    spring: { before: ['2024-03-10T06:59:59Z', -300], after: ['2024-03-10T07:00:00Z', -240] },
    fall: { before: ['2024-11-03T05:59:59Z', -240], after: ['2024-11-03T06:00:00Z', -300] },
    gap: { hour: 2, minute: 30, from: '2024-03-09T12:00:00Z', expected: ['2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z'] },
    overlap: { hour: 1, minute: 30, from: '2024-11-02T12:00:00Z', expected: ['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z'] },
  },
  {
    // 2024-03-31 02:00 CET -> 03:00 CEST; 2024-10-27 03:00 CEST -> 02:00 CET.
    zone: 'Europe/Berlin',
    spring: { before: ['2024-03-31T00:59:59Z', 60], after: ['2024-03-31T01:00:00Z', 120] },
    fall: { before: ['2024-10-27T00:59:59Z', 120], after: ['2024-10-27T01:00:00Z', 60] },
    gap: { hour: 2, minute: 30, from: '2024-03-30T12:00:00Z', expected: ['2024-04-01T00:30:00Z', '2024-04-02T00:30:00Z'] },
    overlap: { hour: 2, minute: 30, from: '2024-10-26T12:00:00Z', expected: ['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z'] },
  },
  {
    // A 30-minute shift: 2024-10-06 02:00 -> 02:30 (UTC+10:30 -> +11); 2024-04-07 02:00 -> 01:30.
    zone: 'Australia/Lord_Howe',
    spring: { before: ['2024-10-05T15:29:59Z', 630], after: ['2024-10-05T15:30:00Z', 660] },
    fall: { before: ['2024-04-06T14:59:59Z', 660], after: ['2024-04-06T15:00:00Z', 630] },
    gap: { hour: 2, minute: 15, from: '2024-10-05T00:00:00Z', expected: ['2024-10-06T15:15:00Z', '2024-10-07T15:15:00Z'] },
    overlap: { hour: 1, minute: 45, from: '2024-04-06T00:00:00Z', expected: ['2024-04-06T14:45:00Z', '2024-04-07T15:15:00Z'] },
  },
  {
    // UTC+12:45 / +13:45: 2024-09-29 02:45 -> 03:45; 2024-04-07 03:45 -> 02:45.
    zone: 'Pacific/Chatham',
    spring: { before: ['2024-09-28T13:59:59Z', 765], after: ['2024-09-28T14:00:00Z', 825] },
    fall: { before: ['2024-04-06T13:59:59Z', 825], after: ['2024-04-06T14:00:00Z', 765] },
    gap: { hour: 3, minute: 0, from: '2024-09-28T00:00:00Z', expected: ['2024-09-29T13:15:00Z', '2024-09-30T13:15:00Z'] },
    overlap: { hour: 3, minute: 0, from: '2024-04-06T00:00:00Z', expected: ['2024-04-06T13:15:00Z', '2024-04-07T14:15:00Z'] },
  },
];

for (const edge of EDGES) {
  describe(`DST in ${edge.zone}`, () => {
    it('the fixture transitions are real (checked against the zone database)', () => {
      for (const [instant, minutes] of [edge.spring.before, edge.spring.after, edge.fall.before, edge.fall.after]) {
        expect(offsetAt(edge.zone, instant), instant).toBe(minutes);
      }
      // The gap and overlap wall times really are missing / repeated on those days.
      const gapDay = DateTime.fromISO(edge.spring.after[0], { zone: edge.zone });
      const gapWall = DateTime.fromObject({ year: gapDay.year, month: gapDay.month, day: gapDay.day, hour: edge.gap.hour, minute: edge.gap.minute }, { zone: edge.zone });
      expect(gapWall.hour * 60 + gapWall.minute).not.toBe(edge.gap.hour * 60 + edge.gap.minute);
      const first = Date.parse(edge.overlap.expected[0] as string);
      const delta = (edge.fall.before[1] - edge.fall.after[1]) * 60_000;
      expect(DateTime.fromMillis(first + delta, { zone: edge.zone }).toFormat('HH:mm')).toBe(DateTime.fromMillis(first, { zone: edge.zone }).toFormat('HH:mm'));
    });

    it('cron: a daily wall time that does not exist is skipped that day', () => {
      const trigger = new CronTrigger({ hour: edge.gap.hour, minute: edge.gap.minute, timezone: edge.zone });
      expect(fires(trigger, edge.gap.from, 2)).toStrictEqual(edge.gap.expected);
    });

    it('cron: a daily wall time that occurs twice fires once, the first time', () => {
      const trigger = new CronTrigger({ hour: edge.overlap.hour, minute: edge.overlap.minute, timezone: edge.zone });
      expect(fires(trigger, edge.overlap.from, 2)).toStrictEqual(edge.overlap.expected);
    });

    it('cron: asked from inside the repeated hour, it moves past it and never returns a time at or before the previous one', () => {
      const trigger = new CronTrigger({ hour: edge.overlap.hour, minute: edge.overlap.minute, timezone: edge.zone });
      // The second occurrence of the wall time, as if a run had been recorded then.
      const delta = (edge.fall.before[1] - edge.fall.after[1]) * 60_000;
      const second = new Date(Date.parse(edge.overlap.expected[0] as string) + delta);
      expect(trigger.getNextFireTime(second, second)?.toISOString()).toBe(new Date(edge.overlap.expected[1] as string).toISOString());
      expect(trigger.getNextFireTime(null, second)?.toISOString()).toBe(new Date(edge.overlap.expected[1] as string).toISOString());
    });

    it('calendar interval: the same rules, daily at the same wall time', () => {
      const gap = new CalendarIntervalTrigger({ days: 1, hour: edge.gap.hour, minute: edge.gap.minute, startDate: '2024-01-01', timezone: edge.zone });
      expect(fires(gap, edge.gap.from, 2)).toStrictEqual(edge.gap.expected);
      const overlap = new CalendarIntervalTrigger({ days: 1, hour: edge.overlap.hour, minute: edge.overlap.minute, startDate: '2024-01-01', timezone: edge.zone });
      expect(fires(overlap, edge.overlap.from, 2)).toStrictEqual(edge.overlap.expected);
      const delta = (edge.fall.before[1] - edge.fall.after[1]) * 60_000;
      const second = new Date(Date.parse(edge.overlap.expected[0] as string) + delta);
      expect(overlap.getNextFireTime(second, second)?.toISOString()).toBe(new Date(edge.overlap.expected[1] as string).toISOString());
    });

    for (const [season, transition] of [['spring', edge.spring.after[0]], ['fall', edge.fall.after[0]]] as const) {
      it(`cron every 5 minutes through the ${season} transition: exactly the wall times that exist, each once`, () => {
        const trigger = new CronTrigger({ minute: '*/5', timezone: edge.zone });
        const from = Date.parse(transition) - 3 * 3_600_000;
        const to = Date.parse(transition) + 3 * 3_600_000;
        const expected: string[] = [];
        for (let t = from; t <= to; t += 60_000) {
          if (DateTime.fromMillis(t, { zone: edge.zone }).minute % 5 === 0 && isFirstOccurrence(t, edge.zone)) expected.push(new Date(t).toISOString().replace('.000Z', 'Z'));
        }
        const actual = fires(trigger, new Date(from).toISOString(), expected.length + 5).filter((t) => Date.parse(t) <= to);
        expect(actual).toStrictEqual(expected);
      });
    }

    it('cron every second across the spring gap: the last second before it, then the first after it', () => {
      const trigger = new CronTrigger({ second: '*', timezone: edge.zone });
      const at = Date.parse(edge.spring.after[0]);
      expect(fires(trigger, new Date(at - 2000).toISOString(), 3)).toStrictEqual([at - 2000, at - 1000, at].map((t) => new Date(t).toISOString().replace('.000Z', 'Z')));
    });

    it('interval: counts elapsed time across both transitions', () => {
      for (const transition of [edge.spring.after[0], edge.fall.after[0]]) {
        const start = Date.parse(transition) - 86_400_000;
        const daily = new IntervalTrigger({ days: 1, startDate: new Date(start), timezone: edge.zone });
        expect(fires(daily, new Date(start).toISOString(), 3).map((t) => Date.parse(t) - start)).toStrictEqual([0, 86_400_000, 2 * 86_400_000]);
        const hourly = new IntervalTrigger({ hours: 1, startDate: new Date(start + 86_400_000 - 3 * 3_600_000) });
        const times = fires(hourly, new Date(start).toISOString(), 7).map((t) => Date.parse(t));
        expect(times.slice(1).map((t, i) => t - (times[i] as number))).toStrictEqual(Array(6).fill(3_600_000));
      }
    });
  });
}

describe('DST, more cases', () => {
  it('New York, */30 on fall-back day: 01:00 and 01:30 EDT, then 02:00 EST; not 01:00 or 01:30 EST again', () => {
    const trigger = new CronTrigger({ minute: '*/30', timezone: 'America/New_York' });
    expect(fires(trigger, '2024-11-03T04:45:00Z', 4)).toStrictEqual(['2024-11-03T05:00:00Z', '2024-11-03T05:30:00Z', '2024-11-03T07:00:00Z', '2024-11-03T07:30:00Z']);
  });

  it('New York, daily 02:30: 2024-03-10 is skipped, the next fire is 2024-03-11 02:30 (not 03:30)', () => {
    const trigger = new CronTrigger({ hour: 2, minute: 30, timezone: 'America/New_York' });
    const next = trigger.getNextFireTime(null, new Date('2024-03-09T08:00:00Z'));
    expect(DateTime.fromJSDate(next as Date, { zone: 'America/New_York' }).toISO()).toBe('2024-03-11T02:30:00.000-04:00');
  });

  it('APScheduler #1021 (a loop in 3.11): Helsinki, minute 30, previous fire in the repeated hour', { timeout: 5000 }, () => {
    const trigger = new CronTrigger({ minute: 30, timezone: 'Europe/Helsinki' });
    // 2017-10-29 04:00 EEST -> 03:00 EET; 03:45 EET (second pass) is 01:45Z.
    expect(offsetAt('Europe/Helsinki', '2017-10-29T00:59:59Z')).toBe(180);
    expect(offsetAt('Europe/Helsinki', '2017-10-29T01:00:00Z')).toBe(120);
    const previous = new Date('2017-10-29T01:45:00Z');
    expect(fires(trigger, previous.toISOString(), 2)).toStrictEqual(['2017-10-29T02:30:00Z', '2017-10-29T03:30:00Z']);
    expect(trigger.getNextFireTime(previous, previous)?.toISOString()).toBe('2017-10-29T02:30:00.000Z');
  });

  it('APScheduler #980: two-hourly cron across the London fall-back keeps moving forward', { timeout: 5000 }, () => {
    const trigger = new CronTrigger({ hour: '1-23/2', minute: 0, timezone: 'Europe/London' });
    // 01:00 BST (00:00Z), then 01:00 GMT is a repeat, so 03:00 GMT.
    expect(fires(trigger, '2024-10-26T23:30:00Z', 3)).toStrictEqual(['2024-10-27T00:00:00Z', '2024-10-27T03:00:00Z', '2024-10-27T05:00:00Z']);
  });

  it('node-cron #919 (a hang): "0 1 30 3 *" in Lisbon, where 01:00 on 2025-03-30 does not exist', { timeout: 5000 }, () => {
    expect(offsetAt('Europe/Lisbon', '2025-03-30T00:59:59Z')).toBe(0);
    expect(offsetAt('Europe/Lisbon', '2025-03-30T01:00:00Z')).toBe(60);
    expect(fires(CronTrigger.fromCrontab('0 1 30 3 *', { timezone: 'Europe/Lisbon' }), '2025-03-01T00:00:00Z', 2)).toStrictEqual(['2026-03-30T00:00:00Z', '2027-03-30T00:00:00Z']);
  });

  it('Pacific/Apia skipped all of 2011-12-30: every-second cron jumps over the day at once', { timeout: 5000 }, () => {
    const trigger = new CronTrigger({ second: '*', timezone: 'Pacific/Apia' });
    expect(fires(trigger, '2011-12-30T09:59:59Z', 2)).toStrictEqual(['2011-12-30T09:59:59Z', '2011-12-30T10:00:00Z']);
    expect(DateTime.fromISO('2011-12-30T10:00:00Z', { zone: 'Pacific/Apia' }).toISO()).toBe('2011-12-31T00:00:00.000+14:00');
    expect(fires(new CronTrigger({ hour: 12, timezone: 'Pacific/Apia' }), '2011-12-29T12:00:00Z', 2)).toStrictEqual(['2011-12-29T22:00:00Z', '2011-12-30T22:00:00Z']);
  });

  it('a DST change at midnight (Santiago): a daily 00:30 is skipped that day; a daily 06:00 is not affected', () => {
    // 2024-09-08 00:00 -04 -> 01:00 -03.
    expect(offsetAt('America/Santiago', '2024-09-08T03:59:59Z')).toBe(-240);
    expect(offsetAt('America/Santiago', '2024-09-08T04:00:00Z')).toBe(-180);
    expect(fires(new CronTrigger({ hour: 0, minute: 30, timezone: 'America/Santiago' }), '2024-09-07T12:00:00Z', 2)).toStrictEqual(['2024-09-09T03:30:00Z', '2024-09-10T03:30:00Z']);
    expect(fires(new CronTrigger({ hour: 6, timezone: 'America/Santiago' }), '2024-09-07T12:00:00Z', 2)).toStrictEqual(['2024-09-08T09:00:00Z', '2024-09-09T09:00:00Z']);
    // { day: 8, month: 9 } fires at 00:00:00, which does not exist on 2024-09-08: next year's is the first.
    const nextYear = DateTime.fromObject({ year: 2025, month: 9, day: 8 }, { zone: 'America/Santiago' }).toUTC().toISO({ suppressMilliseconds: true });
    expect(fires(new CronTrigger({ day: 8, month: 9, timezone: 'America/Santiago' }), '2024-09-01T00:00:00Z', 1)).toStrictEqual([nextYear]);
  });

  it('calendar interval monthly at 02:30 in New York skips the month whose date falls on the gap', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 2, minute: 30, startDate: '2024-02-10', timezone: 'America/New_York' });
    expect(fires(trigger, '2024-01-01T00:00:00Z', 3)).toStrictEqual(['2024-02-10T07:30:00Z', '2024-04-10T06:30:00Z', '2024-05-10T06:30:00Z']);
  });

  it('a start date string inside a gap is moved forward by the gap; one in a repeated hour is its first occurrence', () => {
    expect(new CronTrigger({ startDate: '2024-03-10 02:30', timezone: 'America/New_York' }).startDate?.toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(new CronTrigger({ startDate: '2024-11-03T01:30:00', timezone: 'America/New_York' }).startDate?.toISOString()).toBe('2024-11-03T05:30:00.000Z');
  });
});
