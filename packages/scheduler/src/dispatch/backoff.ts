/** Failures in a row, and when the store may be tried again. */
interface Failing {
  readonly failures: number;
  readonly until: number;
}

/**
 * When each failing store may be tried again: 100 ms after the first failure, doubling up to 5 s
 * while it keeps failing; a success forgets it. Times are the scheduler's clock.
 */
export class StoreBackoff {
  readonly #clock: () => number;
  readonly #stores = new Map<string, Failing>();

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** Counts a failure of the store; returns the milliseconds until it may be tried again. */
  failed(alias: string): number {
    const failures = (this.#stores.get(alias)?.failures ?? 0) + 1;
    const wait = Math.min(5000, 100 * 2 ** (failures - 1));
    this.#stores.set(alias, { failures, until: this.#clock() + wait });
    return wait;
  }

  succeeded(alias: string): void {
    this.#stores.delete(alias);
  }

  /** Milliseconds until the store may be tried again, or null when it may be tried now. */
  waitFor(alias: string): number | null {
    const failing = this.#stores.get(alias);
    if (failing === undefined) return null;
    const wait = failing.until - this.#clock();
    return wait > 0 ? wait : null;
  }
}
