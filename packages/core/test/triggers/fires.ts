import type { Trigger } from '@jobstore/core';

/** The next `n` fire times from `now`, as ISO strings. */
export function fires(trigger: Trigger, now: string, n = 4): string[] {
  const out: string[] = [];
  let previous: Date | null = null;
  const at = new Date(now);
  for (let i = 0; i < n; i++) {
    const next = trigger.getNextFireTime(previous, at);
    if (next === null) break;
    out.push(next.toISOString().replace('.000Z', 'Z'));
    previous = next;
  }
  return out;
}

