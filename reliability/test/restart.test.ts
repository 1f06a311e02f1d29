import { describe, expect, it } from 'vitest';
import { MODE, SIZES } from '../src/mode.js';
import { loadBackends, MONGO_NOT_RUN } from './backends.js';
import { expectClean } from './expect-clean.js';
import { runFleet } from './run-fleet.js';
import { recordFleet } from './record-fleet.js';

// Scenario 3: the store's server dies (SIGKILL or immediate shutdown) mid-run and comes back on
// the same port and data. The harness's own server, never the machine's shared one.
const plan = SIZES[MODE].restart;
const backends = await loadBackends();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe(`server restart: the server killed ${plan.restarts} time(s) for ${plan.downMs / 1000} s under ${plan.processes} scheduler processes (${MODE} mode)`, () => {
  for (const backend of backends) {
    const own = backend.ownServer;
    if (own === undefined) {
      it.skip(`${backend.name}: has no server to restart`, () => undefined);
      continue;
    }
    it.skipIf(backend.skip !== undefined)(`${backend.name}: the schedulers survive and nothing is lost once it is back`, async () => {
      const { server, config } = await own();
      let restarts = 0;
      try {
        const outcome = await runFleet({
          plan,
          config: config(`rel_restart_${process.pid}`),
          during: async (_fleet, window) => {
            // Restarts spread over the window's middle, while jobs are being claimed and released.
            const gap = plan.windowMs / (plan.restarts + 1);
            for (let i = 1; i <= plan.restarts; i++) {
              await sleep(window.start + i * gap - plan.downMs / 2 - Date.now());
              await server.kill();
              await sleep(plan.downMs);
              await server.start();
              restarts++;
            }
          },
        });
        recordFleet('restart', backend.name, plan.processes, outcome, `${restarts} server restart(s), ${plan.downMs / 1000} s down`);
        expectClean(outcome);
        expect(outcome.check.explainedDuplicates).toBe(0);
        expect(restarts).toBe(plan.restarts);
      } finally {
        await server.destroy();
      }
    });
  }
  it.skip(MONGO_NOT_RUN, () => undefined);
});

process.on('beforeExit', () => void Promise.all(backends.map((backend) => backend.close())));
