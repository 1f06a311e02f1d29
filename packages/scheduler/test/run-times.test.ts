import { IntervalTrigger, type Trigger } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { planDue } from '../src/run-times.js';

const START = new Date('2026-01-01T00:00:00Z');
const every = (seconds: number): Trigger => new IntervalTrigger({ seconds, startDate: START, timezone: 'UTC' });
const seconds = (s: number): Date => new Date(START.getTime() + s * 1000);
const range = (from: number, to: number): Date[] => Array.from({ length: to - from + 1 }, (_, i) => seconds(from + i));

describe('planDue without coalesce', () => {
  it('hands over every fire time up to now when the backlog is short', () => {
    expect(planDue(every(1), START, seconds(5.5), null, false)).toStrictEqual({ due: range(0, 5), missed: [], next: seconds(6) });
  });

  it('keeps the newest 1,000 of a longer backlog and lists the first 1,000 dropped as missed', () => {
    // 0..4999 are due: the newest 1,000 run, 0..3999 are dropped, the first 1,000 of them listed.
    const plan = planDue(every(1), START, seconds(4999.5), null, false);
    expect(plan.due).toStrictEqual(range(4000, 4999));
    expect(plan.missed).toStrictEqual(range(0, 999));
    expect(plan.next).toStrictEqual(seconds(5000));
  });

  it('keeps the same 1,000 whether the backlog ends on a block boundary or not', () => {
    for (const last of [1999, 2000, 2001, 2999]) {
      const plan = planDue(every(1), START, seconds(last), null, false);
      expect(plan.due).toStrictEqual(range(last - 999, last));
      expect(plan.missed).toStrictEqual(range(0, 999));
    }
  });

  it('jumps over the part of a long backlog past the grace time', () => {
    // Grace 10 s at 100,000 s: once 1,000 are held, the walk jumps to the cutoff (99,990 s); each
    // time after it pushes the oldest held one out (to be reported missed as its run would start).
    const plan = planDue(every(1), START, seconds(100_000), 10, false);
    expect(plan.due).toStrictEqual([...range(11, 999), ...range(99_990, 100_000)]);
    expect(plan.missed).toStrictEqual(range(0, 10));
    expect(plan.next).toStrictEqual(seconds(100_001));
  });
});

describe('planDue with coalesce', () => {
  it('hands over only the newest fire time', () => {
    expect(planDue(every(1), START, seconds(4999.5), 3, true)).toStrictEqual({ due: [seconds(4999)], missed: [], next: seconds(5000) });
  });
});
