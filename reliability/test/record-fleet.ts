import { MODE } from '../src/mode.js';
import { recordResult, type ResultRow } from '../src/results.js';
import type { FleetOutcome } from './run-fleet.js';

/**
 * Records one fleet run's row of the results table (written only with JOBSTORE_RELIABILITY_WRITE=1).
 * `extraFailures` counts what the scenario itself found wrong beyond the fleet's own checks.
 */
export function recordFleet(scenario: ResultRow['scenario'], backend: string, processes: number, outcome: FleetOutcome, faults: string, extraFailures = outcome.check.unexpected.length): void {
  recordResult({
    scenario,
    backend,
    mode: MODE,
    processes,
    jobs: outcome.jobs,
    fireTimes: outcome.check.fireTimes,
    faults,
    missed: outcome.check.missed.length,
    explainedDuplicates: outcome.check.explainedDuplicates,
    unexplainedDuplicates: outcome.check.unexplainedDuplicates.length,
    inputsTried: 0,
    failures: outcome.crashes.length + outcome.leftover.length + extraFailures,
    seconds: outcome.seconds,
    date: new Date().toISOString().slice(0, 10),
  });
}
