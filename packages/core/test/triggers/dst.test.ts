import { CalendarIntervalTrigger, CronTrigger, IntervalTrigger } from '@jobstore/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fires, iso } from './fires.js';

/** The UTC offset (minutes) in `zone` at an instant: checks each fixture's transition is real. */
function offsetAt(zone: string, instant: string): number {
  return DateTime.fromISO(instant, { zone }).offset;
}

/** `HH:mm` and the zone's abbreviation (or offset) at an instant. */
function local(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat('HH:mm ZZZZ').replace(/GMT/, '');
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

/** Every 5 minutes of the clock within 3 hours of a change, as ISO instants, kept by `keep`. */
function everyFiveMinutes(zone: string, transition: string, keep: (t: number) => boolean): string[] {
  const out: string[] = [];
  for (let t = Date.parse(transition) - 3 * 3_600_000; t <= Date.parse(transition) + 3 * 3_600_000; t += 60_000) {
    if (DateTime.fromMillis(t, { zone }).minute % 5 === 0 && keep(t)) out.push(iso(new Date(t)));
  }
  return out;
}

/** The trigger's fire times within 3 hours of a change. */
function aroundChange(trigger: CronTrigger, transition: string): string[] {
  const from = Date.parse(transition) - 3 * 3_600_000;
  return fires(trigger, new Date(from).toISOString(), 100).filter((t) => Date.parse(t) <= from + 6 * 3_600_000);
}

interface Edge {
  readonly zone: string;
  /** UTC instants just before and at each transition, with the offsets (minutes) there. */
  readonly spring: { readonly before: [string, number]; readonly after: [string, number] };
  readonly fall: { readonly before: [string, number]; readonly after: [string, number] };
  /** A daily wall time inside the spring gap: it fires that day, moved forward by the gap. */
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
    // 02:30 -> 03:30 EDT.
    gap: { hour: 2, minute: 30, from: '2024-03-09T12:00:00Z', expected: ['2024-03-10T07:30:00Z', '2024-03-11T06:30:00Z'] },
    overlap: { hour: 1, minute: 30, from: '2024-11-02T12:00:00Z', expected: ['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z'] },
  },
  {
    // 2024-03-31 02:00 CET -> 03:00 CEST; 2024-10-27 03:00 CEST -> 02:00 CET.
    zone: 'Europe/Berlin',
    spring: { before: ['2024-03-31T00:59:59Z', 60], after: ['2024-03-31T01:00:00Z', 120] },
    fall: { before: ['2024-10-27T00:59:59Z', 120], after: ['2024-10-27T01:00:00Z', 60] },
    // 02:30 -> 03:30 CEST.
    gap: { hour: 2, minute: 30, from: '2024-03-30T12:00:00Z', expected: ['2024-03-31T01:30:00Z', '2024-04-01T00:30:00Z'] },
    overlap: { hour: 2, minute: 30, from: '2024-10-26T12:00:00Z', expected: ['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z'] },
  },
  {
    // A 30-minute shift: 2024-10-06 02:00 -> 02:30 (UTC+10:30 -> +11); 2024-04-07 02:00 -> 01:30.
    zone: 'Australia/Lord_Howe',
    spring: { before: ['2024-10-05T15:29:59Z', 630], after: ['2024-10-05T15:30:00Z', 660] },
    fall: { before: ['2024-04-06T14:59:59Z', 660], after: ['2024-04-06T15:00:00Z', 630] },
    // 02:15 -> 02:45 (+11).
    gap: { hour: 2, minute: 15, from: '2024-10-05T00:00:00Z', expected: ['2024-10-05T15:45:00Z', '2024-10-06T15:15:00Z'] },
    overlap: { hour: 1, minute: 45, from: '2024-04-06T00:00:00Z', expected: ['2024-04-06T14:45:00Z', '2024-04-07T15:15:00Z'] },
  },
  {
    // UTC+12:45 / +13:45: 2024-09-29 02:45 -> 03:45; 2024-04-07 03:45 -> 02:45.
    zone: 'Pacific/Chatham',
    spring: { before: ['2024-09-28T13:59:59Z', 765], after: ['2024-09-28T14:00:00Z', 825] },
    fall: { before: ['2024-04-06T13:59:59Z', 825], after: ['2024-04-06T14:00:00Z', 765] },
    // 03:00 -> 04:00 (+13:45).
    gap: { hour: 3, minute: 0, from: '2024-09-28T00:00:00Z', expected: ['2024-09-28T14:15:00Z', '2024-09-29T13:15:00Z'] },
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

    it('cron: a daily wall time that does not exist fires that day, moved forward by the gap', () => {
      const trigger = new CronTrigger({ hour: edge.gap.hour, minute: edge.gap.minute, timezone: edge.zone });
      expect(fires(trigger, edge.gap.from, 2)).toStrictEqual(edge.gap.expected);
    });

    it('cron: a daily wall time that occurs twice fires once, the first time (its hour field names particular hours)', () => {
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

    it('cron: with hour * a wall time of the repeated hour fires in both passes, the real time apart the clocks went back', () => {
      const trigger = new CronTrigger({ minute: edge.overlap.minute, timezone: edge.zone });
      const first = Date.parse(edge.overlap.expected[0] as string);
      const delta = (edge.fall.before[1] - edge.fall.after[1]) * 60_000;
      expect(fires(trigger, new Date(first - 1000).toISOString(), 2)).toStrictEqual([first, first + delta].map((t) => iso(new Date(t))));
      // Asked from between the two passes, the second pass comes next.
      expect(trigger.getNextFireTime(new Date(first), new Date(first))?.getTime()).toBe(first + delta);
    });

    it('cron every 5 minutes through the spring gap: exactly the wall times that exist, each once (the moved ones coincide with real ones)', () => {
      const trigger = new CronTrigger({ minute: '*/5', timezone: edge.zone });
      expect(aroundChange(trigger, edge.spring.after[0])).toStrictEqual(everyFiveMinutes(edge.zone, edge.spring.after[0], (t) => isFirstOccurrence(t, edge.zone)));
    });

    it('cron every 5 minutes (hour *) through the fall transition: it follows the clock, both passes of the repeated wall times', () => {
      const trigger = new CronTrigger({ minute: '*/5', timezone: edge.zone });
      expect(aroundChange(trigger, edge.fall.after[0])).toStrictEqual(everyFiveMinutes(edge.zone, edge.fall.after[0], () => true));
    });

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
  it('New York, */30 (hour *) on the fall-back day follows the clock: 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST', () => {
    const trigger = new CronTrigger({ minute: '*/30', timezone: 'America/New_York' });
    const times = fires(trigger, '2024-11-03T04:45:00Z', 5);
    expect(times).toStrictEqual(['2024-11-03T05:00:00Z', '2024-11-03T05:30:00Z', '2024-11-03T06:00:00Z', '2024-11-03T06:30:00Z', '2024-11-03T07:00:00Z']);
    expect(times.map((t) => local(t, 'America/New_York'))).toStrictEqual(['01:00 EDT', '01:30 EDT', '01:00 EST', '01:30 EST', '02:00 EST']);
  });

  it('New York, hourly at minute 0 on the fall-back day fires 04:00Z, 05:00Z, 06:00Z, 07:00Z: both 01:00 EDT and 01:00 EST (APScheduler 3.11)', () => {
    expect(fires(new CronTrigger({ minute: 0, timezone: 'America/New_York' }), '2024-11-03T03:30:00Z', 4)).toStrictEqual([
      '2024-11-03T04:00:00Z',
      '2024-11-03T05:00:00Z',
      '2024-11-03T06:00:00Z',
      '2024-11-03T07:00:00Z',
    ]);
    // `*/1` and `0-23` allow every hour too.
    for (const hour of ['*/1', '0-23']) {
      expect(fires(new CronTrigger({ hour, minute: 0, timezone: 'America/New_York' }), '2024-11-03T04:30:00Z', 3)).toStrictEqual([
        '2024-11-03T05:00:00Z',
        '2024-11-03T06:00:00Z',
        '2024-11-03T07:00:00Z',
      ]);
    }
  });

  it('asked from inside the first pass of a repeated hour, the next fire time is the earliest matching instant across both passes', () => {
    const trigger = new CronTrigger({ minute: '*/30', timezone: 'America/New_York' });
    // Previous 01:00 EDT: next 01:30 EDT. Now 01:40 EDT (no previous): next 01:00 EST, before 02:00 EST in real time.
    expect(trigger.getNextFireTime(new Date('2024-11-03T05:00:00Z'), new Date('2024-11-03T05:00:00Z'))?.toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(trigger.getNextFireTime(null, new Date('2024-11-03T05:40:00Z'))?.toISOString()).toBe('2024-11-03T06:00:00.000Z');
    // From inside the second pass: the rest of it, then 02:00 EST.
    expect(fires(trigger, '2024-11-03T06:10:00Z', 2)).toStrictEqual(['2024-11-03T06:30:00Z', '2024-11-03T07:00:00Z']);
    const hourly = new CronTrigger({ minute: 0, timezone: 'America/New_York' });
    expect(hourly.getNextFireTime(new Date('2024-11-03T05:00:00Z'), new Date('2024-11-03T05:00:00Z'))?.toISOString()).toBe('2024-11-03T06:00:00.000Z');
  });

  it('a daily 01:30 on the fall-back day fires once, at 01:30 EDT; so does a crontab line whose hour is particular', () => {
    expect(fires(new CronTrigger({ hour: 1, minute: 30, timezone: 'America/New_York' }), '2024-11-03T00:00:00Z', 2)).toStrictEqual(['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z']);
    expect(fires(CronTrigger.fromCrontab('30 1 * * *', { timezone: 'America/New_York' }), '2024-11-03T00:00:00Z', 2)).toStrictEqual(['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z']);
  });

  it('fromCrontab follows the same rule: hour * follows the clock through the repeat, a time in the gap moves forward', () => {
    expect(fires(CronTrigger.fromCrontab('0 * * * *', { timezone: 'America/New_York' }), '2024-11-03T03:30:00Z', 4)).toStrictEqual([
      '2024-11-03T04:00:00Z',
      '2024-11-03T05:00:00Z',
      '2024-11-03T06:00:00Z',
      '2024-11-03T07:00:00Z',
    ]);
    expect(fires(CronTrigger.fromCrontab('30 2 * * *', { timezone: 'America/New_York' }), '2024-03-09T12:00:00Z', 2)).toStrictEqual(['2024-03-10T07:30:00Z', '2024-03-11T06:30:00Z']);
  });

  it('New York, daily 02:30 on the spring-forward day fires at 03:30 EDT (07:30Z), moved forward by the gap, and at 02:30 the next day', () => {
    const trigger = new CronTrigger({ hour: 2, minute: 30, timezone: 'America/New_York' });
    const times = fires(trigger, '2024-03-09T07:00:00Z', 3);
    expect(times).toStrictEqual(['2024-03-09T07:30:00Z', '2024-03-10T07:30:00Z', '2024-03-11T06:30:00Z']);
    expect(times.map((t) => local(t, 'America/New_York'))).toStrictEqual(['02:30 EST', '03:30 EDT', '02:30 EDT']);
    const next = trigger.getNextFireTime(null, new Date('2024-03-09T08:00:00Z'));
    expect(DateTime.fromJSDate(next as Date, { zone: 'America/New_York' }).toISO()).toBe('2024-03-10T03:30:00.000-04:00');
  });

  it('Lord Howe, daily 02:15 on the 30-minute gap (02:00 -> 02:30) fires at 02:45', () => {
    const next = new CronTrigger({ hour: 2, minute: 15, timezone: 'Australia/Lord_Howe' }).getNextFireTime(null, new Date('2024-10-05T12:00:00Z'));
    expect(DateTime.fromJSDate(next as Date, { zone: 'Australia/Lord_Howe' }).toISO()).toBe('2024-10-06T02:45:00.000+11:00');
  });

  it('a moved time that coincides with a real matching wall time fires once (hour *, minute 30: moved 02:30 = real 03:30)', () => {
    const trigger = new CronTrigger({ minute: 30, timezone: 'America/New_York' });
    expect(fires(trigger, '2024-03-10T05:00:00Z', 4).map((t) => local(t, 'America/New_York'))).toStrictEqual(['00:30 EST', '01:30 EST', '03:30 EDT', '04:30 EDT']);
  });

  it('moved and real wall times around a gap fire in time order, each once: hour 2-3, minute 10,50 -> 03:10, 03:50 EDT', () => {
    const trigger = new CronTrigger({ hour: '2-3', minute: '10,50', timezone: 'America/New_York' });
    expect(fires(trigger, '2024-03-10T05:00:00Z', 3)).toStrictEqual(['2024-03-10T07:10:00Z', '2024-03-10T07:50:00Z', '2024-03-11T06:10:00Z']);
    const quarter = new CronTrigger({ hour: '2-3', minute: '0,45', timezone: 'America/New_York' });
    expect(fires(quarter, '2024-03-10T05:00:00Z', 3)).toStrictEqual(['2024-03-10T07:00:00Z', '2024-03-10T07:45:00Z', '2024-03-11T06:00:00Z']);
  });

  it('a real wall time after the gap that comes before a moved one is not lost (Lord Howe, 02:00 02:10 02:20 02:40 -> 02:30, 02:40, 02:50)', () => {
    // 02:00, 02:10, 02:20 are in the gap and move to 02:30, 02:40, 02:50; the real 02:40 is the moved 02:10.
    const trigger = new CronTrigger({ hour: 2, minute: '0,10,20,40', timezone: 'Australia/Lord_Howe' });
    const times = fires(trigger, '2024-10-05T12:00:00Z', 4);
    expect(times.map((t) => local(t, 'Australia/Lord_Howe'))).toStrictEqual(['02:30 +11', '02:40 +11', '02:50 +11', '02:00 +11']);
    // Asked from just after the real 02:40 (whose wall time is after the moved 02:20's), the moved 02:20 is still ahead.
    expect(trigger.getNextFireTime(null, new Date('2024-10-05T15:40:30Z'))?.toISOString()).toBe('2024-10-05T15:50:00.000Z');
  });

  it('asked from days before a gap, a real wall time after it that comes before a moved one is found first', () => {
    // Lord Howe 2024-10-06: 02:20 is in the gap (-> 02:50), the real 02:40 comes first.
    const trigger = new CronTrigger({ month: 10, day: 6, hour: 2, minute: '20,40', timezone: 'Australia/Lord_Howe' });
    expect(fires(trigger, '2024-09-01T00:00:00Z', 3).map((t) => local(t, 'Australia/Lord_Howe'))).toStrictEqual(['02:40 +11', '02:50 +11', '02:20 +11']);
  });

  it('Troll (Antarctica) moves its clocks by 2 hours: 01:30 moves to 03:30; hourly with hour * fires 01:00 and 02:00 twice', () => {
    expect(offsetAt('Antarctica/Troll', '2024-03-31T00:59:59Z')).toBe(0);
    expect(offsetAt('Antarctica/Troll', '2024-03-31T01:00:00Z')).toBe(120);
    expect(fires(new CronTrigger({ hour: 1, minute: 30, timezone: 'Antarctica/Troll' }), '2024-03-30T12:00:00Z', 2)).toStrictEqual(['2024-03-31T01:30:00Z', '2024-03-31T23:30:00Z']);
    // 2024-10-27 03:00 +02 -> 01:00 +00: 01:00 and 02:00 occur twice.
    expect(fires(new CronTrigger({ minute: 0, timezone: 'Antarctica/Troll' }), '2024-10-26T22:30:00Z', 6)).toStrictEqual([
      '2024-10-26T23:00:00Z',
      '2024-10-27T00:00:00Z',
      '2024-10-27T01:00:00Z',
      '2024-10-27T02:00:00Z',
      '2024-10-27T03:00:00Z',
      '2024-10-27T04:00:00Z',
    ]);
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

  it('node-cron #919 (a hang): "0 1 30 3 *" in Lisbon, where 01:00 on 2025-03-30 does not exist, fires at 02:00 WEST that day', { timeout: 5000 }, () => {
    expect(offsetAt('Europe/Lisbon', '2025-03-30T00:59:59Z')).toBe(0);
    expect(offsetAt('Europe/Lisbon', '2025-03-30T01:00:00Z')).toBe(60);
    expect(fires(CronTrigger.fromCrontab('0 1 30 3 *', { timezone: 'Europe/Lisbon' }), '2025-03-01T00:00:00Z', 2)).toStrictEqual(['2025-03-30T01:00:00Z', '2026-03-30T00:00:00Z']);
  });

  it('Pacific/Apia skipped all of 2011-12-30: every-second cron jumps over the day at once', { timeout: 5000 }, () => {
    const trigger = new CronTrigger({ second: '*', timezone: 'Pacific/Apia' });
    expect(fires(trigger, '2011-12-30T09:59:59Z', 2)).toStrictEqual(['2011-12-30T09:59:59Z', '2011-12-30T10:00:00Z']);
    expect(DateTime.fromISO('2011-12-30T10:00:00Z', { zone: 'Pacific/Apia' }).toISO()).toBe('2011-12-31T00:00:00.000+14:00');
    expect(fires(new CronTrigger({ hour: 12, timezone: 'Pacific/Apia' }), '2011-12-29T12:00:00Z', 2)).toStrictEqual(['2011-12-29T22:00:00Z', '2011-12-30T22:00:00Z']);
  });

  it('a DST change at midnight (Santiago): a daily 00:30 fires at 01:30 that day; a daily 06:00 is not affected', () => {
    // 2024-09-08 00:00 -04 -> 01:00 -03.
    expect(offsetAt('America/Santiago', '2024-09-08T03:59:59Z')).toBe(-240);
    expect(offsetAt('America/Santiago', '2024-09-08T04:00:00Z')).toBe(-180);
    expect(fires(new CronTrigger({ hour: 0, minute: 30, timezone: 'America/Santiago' }), '2024-09-07T12:00:00Z', 2)).toStrictEqual(['2024-09-08T04:30:00Z', '2024-09-09T03:30:00Z']);
    expect(fires(new CronTrigger({ hour: 6, timezone: 'America/Santiago' }), '2024-09-07T12:00:00Z', 2)).toStrictEqual(['2024-09-08T09:00:00Z', '2024-09-09T09:00:00Z']);
    // { day: 8, month: 9 } fires at 00:00:00, which does not exist on 2024-09-08: at 01:00 -03 instead.
    expect(fires(new CronTrigger({ day: 8, month: 9, timezone: 'America/Santiago' }), '2024-09-01T00:00:00Z', 1)).toStrictEqual(['2024-09-08T04:00:00Z']);
  });

  it('calendar interval monthly at 02:30 in New York fires at 03:30 EDT on the date that falls on the gap', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 2, minute: 30, startDate: '2024-02-10', timezone: 'America/New_York' });
    expect(fires(trigger, '2024-01-01T00:00:00Z', 3)).toStrictEqual(['2024-02-10T07:30:00Z', '2024-03-10T07:30:00Z', '2024-04-10T06:30:00Z']);
  });

  it('calendar interval daily 02:30 in New York: 03:30 EDT on the spring-forward day; a daily 01:30 once, at 01:30 EDT, on the fall-back day', () => {
    const gap = new CalendarIntervalTrigger({ days: 1, hour: 2, minute: 30, startDate: '2024-03-01', timezone: 'America/New_York' });
    expect(fires(gap, '2024-03-09T12:00:00Z', 2).map((t) => local(t, 'America/New_York'))).toStrictEqual(['03:30 EDT', '02:30 EDT']);
    const overlap = new CalendarIntervalTrigger({ days: 1, hour: 1, minute: 30, startDate: '2024-11-01', timezone: 'America/New_York' });
    expect(fires(overlap, '2024-11-03T00:00:00Z', 2)).toStrictEqual(['2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z']);
  });

  it('a 24-hour gap (Kwajalein skipped 1993-08-21): a daily 12:00 fires once for the lost day and the next, and the search ends', { timeout: 5000 }, () => {
    expect(offsetAt('Pacific/Kwajalein', '1993-08-21T11:59:59Z')).toBe(-720);
    expect(offsetAt('Pacific/Kwajalein', '1993-08-21T12:00:00Z')).toBe(720);
    // 08-20 12:00 (-12), then the lost 08-21 12:00 moves to 08-22 12:00 (+12), which is real too: once.
    expect(fires(new CronTrigger({ hour: 12, timezone: 'Pacific/Kwajalein' }), '1993-08-20T12:00:00Z', 3)).toStrictEqual(['1993-08-21T00:00:00Z', '1993-08-22T00:00:00Z', '1993-08-23T00:00:00Z']);
    const everySecond = new CronTrigger({ second: '*', timezone: 'Pacific/Kwajalein' });
    expect(fires(everySecond, '1993-08-21T11:59:59Z', 2)).toStrictEqual(['1993-08-21T11:59:59Z', '1993-08-21T12:00:00Z']);
  });

  it('a start date string inside a gap is moved forward by the gap; one in a repeated hour is its first occurrence', () => {
    expect(new CronTrigger({ startDate: '2024-03-10 02:30', timezone: 'America/New_York' }).startDate?.toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(new CronTrigger({ startDate: '2024-11-03T01:30:00', timezone: 'America/New_York' }).startDate?.toISOString()).toBe('2024-11-03T05:30:00.000Z');
  });
});
