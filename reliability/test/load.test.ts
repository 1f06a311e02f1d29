import { describe, expect, it } from 'vitest';
import { MODE, SIZES } from '../src/mode.js';
import { loadBackends, MONGO_NOT_RUN } from './backends.js';
import { expectClean } from './expect-clean.js';
import { runFleet } from './run-fleet.js';
import { recordFleet } from './record-fleet.js';

// Scenario 1: many scheduler processes share one store while thousands of jobs come due at once.
const plan = SIZES[MODE].load;
const backends = await loadBackends();

describe(`load: ${plan.processes} scheduler processes, ${plan.dateJobs.toLocaleString('en-US')} jobs due within ${plan.windowMs / 1000} s (${MODE} mode)`, () => {
  for (const backend of backends) {
    it.skipIf(backend.skip !== undefined)(`${backend.name}: every fire time runs exactly once`, async () => {
      const namespace = `rel_load_${process.pid}`;
      try {
        const outcome = await runFleet({ plan, config: backend.config(namespace) });
        recordFleet('load', backend.name, plan.processes, outcome, 'none');
        expectClean(outcome);
        expect(outcome.check.explainedDuplicates).toBe(0);
        // The work was shared.
        expect(outcome.check.processes).toBeGreaterThan(1);
      } finally {
        await backend.drop(namespace);
      }
    });
  }
  it.skip(MONGO_NOT_RUN, () => undefined);
});

process.on('beforeExit', () => void Promise.all(backends.map((backend) => backend.close())));
