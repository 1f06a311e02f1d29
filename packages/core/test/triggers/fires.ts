import { InvalidTriggerError, type Trigger } from '@jobstore/core';
import { expect } from 'vitest';

/** The next `n` fire times from `now`, each asked after the one before, as ISO strings without `.000`. */
export function fires(trigger: Trigger, now: string, n = 4): string[] {
  const out: string[] = [];
  let previous: Date | null = null;
  const at = new Date(now);
  for (let i = 0; i < n; i++) {
    const next = trigger.getNextFireTime(previous, at);
    if (next === null) break;
    out.push(iso(next));
    previous = next;
  }
  return out;
}

export function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Runs `make`, expecting an InvalidTriggerError about `field`, with a message matching `message`. */
export function expectInvalid(make: () => unknown, field: string, message?: RegExp): InvalidTriggerError {
  let error: unknown;
  try {
    make();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InvalidTriggerError);
  const invalid = error as InvalidTriggerError;
  expect(invalid.field).toBe(field);
  if (message !== undefined) expect(invalid.message).toMatch(message);
  return invalid;
}
