import { JobIndex, type DriverEvent } from '@jobstore/core';

/** One namespace's jobs (a JobIndex), and the stores listening to it. */
export class MemoryTable extends JobIndex {
  readonly #subscribers = new Set<(event: DriverEvent) => void>();

  subscribe(deliver: (event: DriverEvent) => void): () => void {
    this.#subscribers.add(deliver);
    return () => this.#subscribers.delete(deliver);
  }

  /** Every store on this table hears every change, as with a real server's notifications. */
  publish(event: DriverEvent): void {
    for (const deliver of this.#subscribers) deliver(event);
  }
}
