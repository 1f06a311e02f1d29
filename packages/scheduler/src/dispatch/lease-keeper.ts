import { LeaseLostError, MAX_BATCH, type JobStore } from '@jobstore/core';

/** What the lease keeper needs from the dispatcher. */
export interface LeaseContext {
  readonly owner: string;
  readonly leaseMs: number;
  clock(): Date;
  stores(): ReadonlyMap<string, JobStore>;
  /** A store call failed (the store backs off and the failure is reported). */
  storeFailed(alias: string, jobId: string | null, error: unknown): void;
  /** A held job's lease was found gone: another scheduler may run it again. */
  leaseLost(alias: string, jobId: string, error: LeaseLostError): void;
}

/**
 * The jobs this scheduler holds (claimed, not yet released) and their leases: a heartbeat every
 * third of a lease extends those whose runs go on; those whose release is on its way are passed
 * over (their leases may already be gone).
 */
export class LeaseKeeper {
  readonly #ctx: LeaseContext;
  readonly #held = new Map<string, Set<string>>();
  readonly #releasing = new Map<string, Set<string>>();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(context: LeaseContext) {
    this.#ctx = context;
  }

  /** Starts the heartbeat; `beat` runs at each, before the leases are extended. */
  start(beat: () => void): void {
    this.#heartbeat = setInterval(
      () => {
        beat();
        void this.extendHeld();
      },
      Math.max(100, Math.floor(this.#ctx.leaseMs / 3)),
    );
    this.#heartbeat.unref();
  }

  stop(): void {
    clearInterval(this.#heartbeat);
  }

  hold(alias: string, id: string): void {
    this.#set(this.#held, alias).add(id);
  }

  /** The ids held in a store (a claim returns them again, and must pass them over). */
  heldIn(alias: string): ReadonlySet<string> | undefined {
    return this.#held.get(alias);
  }

  /** The job's release is on its way: its lease needs no extending any more. */
  releasing(alias: string, id: string): void {
    this.#set(this.#releasing, alias).add(id);
  }

  /** The job's release settled: it is no longer held. */
  settled(alias: string, id: string): void {
    this.#held.get(alias)?.delete(id);
    this.#releasing.get(alias)?.delete(id);
  }

  /**
   * Sets this process's leases on `ids` to end `leaseMs` from now. Returns the ids whose lease it
   * set (the others are no longer this process's), or null when the store failed (the leases are
   * left to run out).
   */
  async setLeases(alias: string, store: JobStore, ids: readonly string[], leaseMs: number): Promise<Set<string> | null> {
    const set = new Set<string>();
    try {
      for (let start = 0; start < ids.length; start += MAX_BATCH) {
        for (const id of await store.extendLeases(ids.slice(start, start + MAX_BATCH), this.#ctx.owner, leaseMs, this.#ctx.clock())) set.add(id);
      }
      return set;
    } catch (error) {
      this.#ctx.storeFailed(alias, null, error);
      return null;
    }
  }

  /** Extends the leases of held jobs whose release is not on its way; reports those found lost. */
  async extendHeld(): Promise<void> {
    for (const [alias, ids] of this.#held) {
      if (ids.size === 0) continue;
      const store = this.#ctx.stores().get(alias);
      if (store === undefined) continue;
      const releasing = this.#releasing.get(alias);
      const asked = [...ids].filter((id) => releasing?.has(id) !== true).slice(0, MAX_BATCH);
      if (asked.length === 0) continue;
      try {
        const extended = new Set(await store.extendLeases(asked, this.#ctx.owner, this.#ctx.leaseMs, this.#ctx.clock()));
        for (const id of asked) {
          // Still held, and not released meanwhile: the lease is gone from under a run.
          if (!extended.has(id) && ids.has(id) && releasing?.has(id) !== true) this.#ctx.leaseLost(alias, id, new LeaseLostError(store.name, id, 'extendLeases', this.#ctx.owner, null));
        }
      } catch (error) {
        this.#ctx.storeFailed(alias, null, error);
      }
    }
  }

  #set(map: Map<string, Set<string>>, alias: string): Set<string> {
    let set = map.get(alias);
    if (set === undefined) {
      set = new Set();
      map.set(alias, set);
    }
    return set;
  }
}
