import { afterAll, beforeAll, describe } from 'vitest';
import { createHarness } from './harness.js';
import type { ConformanceTarget } from './target.js';
import { concurrencyTests } from './tests/concurrency.js';
import { corruptTests } from './tests/corrupt.js';
import { crudTests } from './tests/crud.js';
import { eventTests } from './tests/events.js';
import { idAndDataTests } from './tests/ids-and-data.js';
import { leaseRuleTests } from './tests/lease-rule.js';
import { leaseTests } from './tests/leases.js';
import { lifecycleTests } from './tests/lifecycle.js';
import { orderingTests } from './tests/ordering.js';
import { scaleTests } from './tests/scale.js';

/**
 * Registers the whole conformance suite for one backend. Call it at the top level of a vitest
 * test file; every test gets a fresh namespace, and every store it opens is closed after it.
 * With `target.skip` set, the tests are registered as skipped and the reason is printed.
 */
export function runConformanceSuite(target: ConformanceTarget): void {
  const skipped = target.skip !== undefined;
  if (skipped) console.warn(`[jobstore] conformance for ${target.name} is skipped: ${target.skip}`);
  const title = skipped ? `${target.name} conformance (skipped: ${target.skip})` : `${target.name} conformance`;
  describe.skipIf(skipped)(title, () => {
    if (target.setup !== undefined) beforeAll(() => target.setup?.());
    if (target.teardown !== undefined) afterAll(() => target.teardown?.());
    const h = createHarness(target);
    crudTests(h);
    orderingTests(h);
    idAndDataTests(h);
    leaseTests(h);
    leaseRuleTests(h);
    concurrencyTests(h);
    eventTests(h);
    lifecycleTests(h);
    corruptTests(h);
    scaleTests(h);
  });
}
