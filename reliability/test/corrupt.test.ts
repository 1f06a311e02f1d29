import { encodeData, type StoredJob } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { MODE, SIZES } from '../src/mode.js';
import { loadBackends, MONGO_NOT_RUN } from './backends.js';
import { expectClean } from './expect-clean.js';
import { runFleet } from './run-fleet.js';
import { recordFleet } from './record-fleet.js';

// Scenario 5: records written behind the store's back, due among the real jobs: text the codec
// never wrote, a future codec version, and data the store reads but that is no job.
const plan = SIZES[MODE].corrupt;
const backends = await loadBackends();

/** The planted texts, by kind. */
const GARBAGE = ['{"v":1,"d":', 'plain text, no JSON', '{"v":999,"d":{"from":"a newer jobstore"}}', '{"v":1,"d":{"$t":"no-such-tag","v":1}}', encodeData({ hello: 'not a job' })];

describe(`corrupt records: ${plan.corruptRecords} planted among ${plan.dateJobs} jobs under ${plan.processes} scheduler processes (${MODE} mode)`, () => {
  for (const backend of backends) {
    it.skipIf(backend.skip !== undefined)(`${backend.name}: they are reported, kept byte for byte, and crash no scheduler; the real jobs all run`, async () => {
      const namespace = `rel_corrupt_${process.pid}`;
      const planted: StoredJob[] = [];
      let changed: string[] = [];
      try {
        const outcome = await runFleet({
          plan,
          config: backend.config(namespace),
          kept: new Set(Array.from({ length: plan.corruptRecords }, (_, i) => `corrupt-${i}`)),
          before: async () => {
            // Due at once: every process meets them in its first claims.
            for (let i = 0; i < plan.corruptRecords; i++) {
              const row: StoredJob = { id: `corrupt-${i}`, nextRunTime: Date.now() - 1000 + i, data: GARBAGE[i % GARBAGE.length] as string, version: 1, acquiredBy: null, acquiredUntil: null };
              await backend.raw.write(namespace, row);
              planted.push((await backend.raw.read(namespace, row.id)) as StoredJob);
            }
          },
          after: async () => {
            changed = [];
            for (const row of planted) {
              const now = await backend.raw.read(namespace, row.id);
              // A claim may have leased it meanwhile; what it holds must be untouched.
              if (now === null || now.data !== row.data || now.nextRunTime !== row.nextRunTime) changed.push(row.id);
            }
          },
        });
        const unreported = planted.map((row) => row.id).filter((id) => !outcome.reported.has(id));
        recordFleet('corrupt', backend.name, plan.processes, outcome, `${planted.length} corrupt records`, changed.length + unreported.length);
        expectClean(outcome);
        expect(planted).toHaveLength(plan.corruptRecords);
        expect(changed, 'corrupt records deleted or changed').toStrictEqual([]);
        expect(unreported, 'corrupt records no process reported').toStrictEqual([]);
      } finally {
        await backend.drop(namespace);
      }
    });
  }
  it.skip(MONGO_NOT_RUN, () => undefined);
});

process.on('beforeExit', () => void Promise.all(backends.map((backend) => backend.close())));
