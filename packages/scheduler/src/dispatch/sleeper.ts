/**
 * How the dispatch loop waits between rounds: until a time on the scheduler's clock, woken early
 * by `wake()`, or by a store reporting a run time before the planned wake-up. Timers fire a
 * millisecond or two late: it wakes a little early and steps the last stretch on the event loop,
 * so a job starts within a millisecond of its fire time.
 */
export class Sleeper {
  readonly #clock: () => number;
  readonly #daemon: boolean;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The time (scheduler's clock) the current sleep ends; the earliest run time heard while awake. */
  #planned = 0;
  #heard = Number.POSITIVE_INFINITY;
  #stopped = false;

  /** `daemon`: the timer does not keep the process alive. */
  constructor(clock: () => number, daemon: boolean) {
    this.#clock = clock;
    this.#daemon = daemon;
  }

  /** Sleeps up to `ms`, less if a run time was heard since the last sleep began. */
  sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const heard = this.#heard;
    this.#heard = Number.POSITIVE_INFINITY;
    const now = this.#clock();
    const target = Math.min(now + ms, Math.max(now, heard));
    this.#planned = target;
    // The last stretch is stepped until the clock reaches the target, or (a clock that stands
    // still, in a test) until as long has passed in real time.
    const realEnd = Date.now() + (target - now);
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => this.#wakeAt(target, realEnd), Math.max(0, target - now - 2));
      if (this.#daemon) this.#timer.unref();
    });
  }

  /** Ends the current sleep now. */
  wake(): void {
    clearTimeout(this.#timer);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** A store reported a job due at `at`: wake for it, or remember it for the next sleep. */
  heard(at: number): void {
    // Awake, the loop may be reading a next run time that predates this change: keep it for the sleep.
    if (this.#wake === undefined) this.#heard = Math.min(this.#heard, at);
    else if (at < this.#planned) this.wake();
  }

  /** Ends the current sleep, and every later one at once. */
  stop(): void {
    this.#stopped = true;
    this.wake();
  }

  #wakeAt(target: number, realEnd: number): void {
    if (this.#wake === undefined) return;
    if (this.#stopped || this.#clock() >= target || Date.now() >= realEnd) this.wake();
    else setImmediate(() => this.#wakeAt(target, realEnd));
  }
}
