import { expect } from 'vitest';
import type { FleetOutcome } from './run-fleet.js';

/** What every scenario demands: nothing missed, no repeat without a killed process behind it, no crash, nothing left over. */
export function expectClean(outcome: FleetOutcome): void {
  expect(outcome.crashes, 'scheduler processes that crashed or hung').toStrictEqual([]);
  const skips = `job_missed ${outcome.events['job_missed'] ?? 0}, job_max_instances ${outcome.events['job_max_instances'] ?? 0} reported`;
  expect(outcome.check.missed.slice(0, 20), `fire times missed (${outcome.check.missed.length}; ${skips})`).toStrictEqual([]);
  expect(outcome.check.unexplainedDuplicates.slice(0, 20), 'fire times run twice with no crash to explain it').toStrictEqual([]);
  expect(outcome.check.unexpected.slice(0, 20), 'runs of fire times never scheduled').toStrictEqual([]);
  expect(outcome.leftover.slice(0, 20), 'jobs left in the store after their last fire time').toStrictEqual([]);
}
