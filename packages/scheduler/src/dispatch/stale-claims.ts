import type { JobRecord } from '@jobstore/core';

/** What this scheduler's release of a job wrote, kept until no claim can be behind it any more. */
interface Released {
  readonly version: number;
  readonly until: number;
  readonly removed: boolean;
}

const key = (alias: string, id: string): string => `${alias}\u0000${id}`;

/**
 * Tells a claim that read a job before this scheduler's own release of it committed (its answer
 * can arrive after the release's, on another connection): such a claim returns an older version,
 * which must not run again. Each release is remembered for `keepMs` of the scheduler's clock.
 */
export class StaleClaimGuard {
  readonly #clock: () => number;
  readonly #keepMs: number;
  readonly #released = new Map<string, Released>();

  constructor(clock: () => number, keepMs: number) {
    this.#clock = clock;
    this.#keepMs = keepMs;
  }

  /** This scheduler's release of the job committed, leaving it at `version` (or removing it). */
  released(alias: string, id: string, version: number, removed: boolean): void {
    this.#released.set(key(alias, id), { version, until: this.#clock() + this.#keepMs, removed });
  }

  /**
   * True for a claimed record older than this scheduler's release of it; 'removed' when that
   * release removed the job (a job added again under its id has a new record, its version
   * counting from 1: only the store can tell it from a stale read); false otherwise.
   */
  check(alias: string, record: JobRecord): boolean | 'removed' {
    const k = key(alias, record.id);
    const released = this.#released.get(k);
    if (released === undefined) return false;
    if (released.until < this.#clock()) {
      this.#released.delete(k);
      return false;
    }
    if (record.version >= released.version) return false;
    return released.removed ? 'removed' : true;
  }

  forget(alias: string, id: string): void {
    this.#released.delete(key(alias, id));
  }

  /** Forgets releases no claim can be behind any more. */
  prune(): void {
    const now = this.#clock();
    for (const [k, released] of this.#released) if (released.until < now) this.#released.delete(k);
  }

  get size(): number {
    return this.#released.size;
  }
}
