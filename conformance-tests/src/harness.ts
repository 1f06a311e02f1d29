import { randomBytes } from 'node:crypto';
import type { JobStore } from '@jobstore/core';
import { afterEach, beforeEach } from 'vitest';
import type { ConformanceTarget, RawAccess } from './target.js';

/** What every test group gets: the target, and stores on a namespace of the test's own. */
export interface Harness {
  readonly target: ConformanceTarget;
  readonly raw: RawAccess;
  /** The current test's namespace, new for every test. */
  readonly namespace: string;
  /** Opens another store (a new instance and connection) on the test's namespace or `namespace`. */
  open(namespace?: string): Promise<JobStore>;
  /** A namespace no other test uses; dropped after the test. */
  freshNamespace(): string;
}

const run = randomBytes(4).readUInt32BE(0).toString(36);
let counter = 0;

/** Registers the per-test hooks and returns the harness the groups use. */
export function createHarness(target: ConformanceTarget): Harness {
  let namespaces: string[] = [];
  let stores: JobStore[] = [];

  const fresh = (): string => {
    const namespace = `t${run}_${(counter++).toString(36)}`;
    namespaces.push(namespace);
    return namespace;
  };

  beforeEach(() => {
    namespaces = [];
    stores = [];
    fresh();
  });

  afterEach(async () => {
    await Promise.allSettled(stores.map((store) => store.close()));
    if (target.drop !== undefined) for (const namespace of namespaces) await target.drop(namespace);
  });

  return {
    target,
    raw: target.raw,
    get namespace() {
      const namespace = namespaces[0];
      if (namespace === undefined) throw new Error('the harness namespace is only set inside a test');
      return namespace;
    },
    async open(namespace) {
      const store = await target.open(namespace ?? this.namespace);
      stores.push(store);
      return store;
    },
    freshNamespace: fresh,
  };
}
