/**
 * The encoded events some client has not read yet, shared by all clients: chunks numbered in
 * order from 0, the oldest forgotten once nobody needs them or once the whole is over its budget.
 * A client only keeps the number of the next chunk it wants.
 */
export class EventLog {
  #chunks: Uint8Array[] = [];
  /** Index in #chunks of the oldest chunk kept (shifting an array on every event would be O(n)). */
  #first = 0;
  /** Number of the oldest chunk kept. */
  #base = 0;
  #bytes = 0;

  /** Number of the oldest chunk kept; a client wanting an older one has missed it. */
  get base(): number {
    return this.#base;
  }

  /** Number the next chunk will get: a client wanting it is caught up. */
  get head(): number {
    return this.#base + this.#chunks.length - this.#first;
  }

  /** Bytes kept. */
  get bytes(): number {
    return this.#bytes;
  }

  append(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
  }

  /** The chunk numbered `seq`, from base to head - 1. */
  at(seq: number): Uint8Array {
    const chunk = this.#chunks[this.#first + seq - this.#base];
    if (chunk === undefined || seq < this.#base) throw new RangeError(`event log: no chunk ${seq} (kept: ${this.#base}..${this.head - 1})`);
    return chunk;
  }

  /** Forgets the oldest chunks until at most `maxBytes` are kept, always keeping the newest. */
  trimTo(maxBytes: number): void {
    while (this.#bytes > maxBytes && this.head - this.#base > 1) this.#forgetOldest();
    this.#compact();
  }

  /** Forgets every chunk numbered below `seq`. */
  dropBefore(seq: number): void {
    while (this.#base < seq && this.#base < this.head) this.#forgetOldest();
    this.#compact();
  }

  #forgetOldest(): void {
    const chunk = this.#chunks[this.#first];
    if (chunk === undefined) return;
    this.#bytes -= chunk.byteLength;
    this.#chunks[this.#first] = EMPTY; // the chunk itself is freed now, not at the next compaction
    this.#first++;
    this.#base++;
  }

  #compact(): void {
    if (this.#first === this.#chunks.length) {
      this.#chunks = [];
      this.#first = 0;
    } else if (this.#first > 1024 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }
}

const EMPTY = new Uint8Array(0);
