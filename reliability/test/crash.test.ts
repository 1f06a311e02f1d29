import { describe, expect, it } from 'vitest';
import { MODE, SIZES } from '../src/mode.js';
import { loadBackends, MONGO_NOT_RUN } from './backends.js';
import { expectClean } from './expect-clean.js';
import { runFleet } from './run-fleet.js';
import { recordFleet } from './record-fleet.js';

// Scenario 2: scheduler processes die with SIGKILL (no shutdown, no release) and come back.
const plan = SIZES[MODE].crash;
const backends = await loadBackends();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe(`crash: one of ${plan.processes} scheduler processes killed every ${plan.killEveryMs / 1000} s through a ${plan.windowMs / 1000} s window (${MODE} mode)`, () => {
  for (const backend of backends) {
    it.skipIf(backend.skip !== undefined)(`${backend.name}: no fire time is missed; only runs in flight at a kill run again`, async () => {
      const namespace = `rel_crash_${process.pid}`;
      try {
        const outcome = await runFleet({
          plan,
          config: backend.config(namespace),
          during: async (fleet, window) => {
            // On a fixed beat: a replacement's start-up time does not push the next kill back.
            for (let at = window.start + plan.killEveryMs; at < window.end; at += plan.killEveryMs) {
              await sleep(at - Date.now());
              await fleet.killOneAndReplace();
            }
          },
        });
        recordFleet('crash', backend.name, plan.processes, outcome, `${outcome.killed} kill -9`);
        const { kills } = outcome.check;
        const lag = (q: number): number => Math.round(outcome.releaseLags[Math.min(outcome.releaseLags.length - 1, Math.floor(q * outcome.releaseLags.length))] ?? 0);
        console.log(
          `[reliability] crash ${backend.name}: ${kills.length} kills caught ${kills.reduce((sum, kill) => sum + kill.inFlight, 0)} runs in flight (at most ${Math.max(0, ...kills.map((kill) => kill.inFlight))} at one kill); ` +
            `${outcome.check.explainedDuplicates} ran again, ${outcome.check.unexplainedDuplicates.length} fire times ran twice otherwise; a run's release followed its start by ${lag(0.5)} ms (median), ${lag(0.9)} ms (90%), ${lag(0.99)} ms (99%)`,
        );
        expectClean(outcome);
        expect(outcome.killed).toBeGreaterThanOrEqual(Math.floor(plan.windowMs / plan.killEveryMs) - 1);
        // The bound a crash keeps: what runs again is at most what the killed process had in flight
        // (begun, its job not yet released). expectClean already fails any repeat of a run whose job
        // was released, or that another process began before the kill (a lease that ran out under a
        // live process); this says it per kill.
        for (const kill of kills) expect(kill.repeated, `runs of killed pid ${kill.pid} that ran again, against those it had in flight`).toBeLessThanOrEqual(kill.inFlight);
      } finally {
        await backend.drop(namespace);
      }
    });
  }
  it.skip(MONGO_NOT_RUN, () => undefined);
});

process.on('beforeExit', () => void Promise.all(backends.map((backend) => backend.close())));
