import { JobStoreError, JobTooLargeError } from '@jobstore/core';
import { sql } from 'kysely';
import type { AnyKysely } from './dialect.js';

/** Room in a statement for everything besides its strings: SQL text, numbers, the packet header. */
const STATEMENT_ROOM = 1024;

/** The server setting that sets the limit. */
const SETTING = 'max_allowed_packet';

/** The characters mysql2 escapes with a backslash when it writes a string into a statement. */
function isEscaped(code: number): boolean {
  return code === 0 || code === 8 || code === 9 || code === 10 || code === 13 || code === 26 || code === 34 || code === 39 || code === 92;
}

/**
 * The bytes a string takes in a statement as mysql2 sends it (parameters are written into the
 * text): its UTF-8, one more byte per escaped character, and the two quotes.
 */
export function statementBytes(text: string): number {
  let escapes = 0;
  for (let i = 0; i < text.length; i++) if (isEscaped(text.charCodeAt(i))) escapes++;
  return Buffer.byteLength(text, 'utf8') + escapes + 2;
}

/** A string of job data bound for a statement, and the job it belongs to. */
export interface Carried {
  readonly id: string;
  readonly data: string;
}

/** The server refused a statement over max_allowed_packet (MySQL and MariaDB: errno 1153). */
function isPacketTooLarge(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === 'ER_NET_PACKET_TOO_LARGE' || errno === 1153;
}

/** The server closed the connection under a write (as it does after refusing a packet). */
function isReset(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'PROTOCOL_CONNECTION_LOST';
}

/**
 * MySQL and MariaDB refuse a statement longer than `max_allowed_packet` and then drop the
 * connection, so that the next query on it fails too, or the refusal itself arrives as a reset
 * connection. A write whose job data cannot fit is therefore refused before it is sent, with
 * JobTooLargeError naming the job and the server's limit; the limit is read at open and again
 * when a write seems not to fit (so a raised limit is seen without a restart).
 */
export class PacketLimit {
  readonly #store: string;
  #limit = Number.POSITIVE_INFINITY;

  constructor(store: string) {
    this.#store = store;
  }

  /** The bytes one statement may carry in strings, room for the rest of it taken off. */
  get budget(): number {
    return this.#limit - STATEMENT_ROOM;
  }

  /** Reads the server's limit; a failed read leaves the last one known. */
  async read(db: AnyKysely): Promise<number> {
    // The connection a refused write leaves in the pool answers with an error once: try another.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const { rows } = await sql<{ max_packet: number | string }>`SELECT @@max_allowed_packet AS max_packet`.execute(db);
        const limit = Number(rows[0]?.max_packet);
        if (Number.isFinite(limit) && limit > 0) this.#limit = limit;
        break;
      } catch {
        // Said by the write's own error; the last limit known stands.
      }
    }
    return this.#limit;
  }

  /**
   * Runs `write`, which sends `carried` (the data of one or more jobs, in statements that each
   * fit {@link budget}), unless a job's data cannot fit a statement at all: then JobTooLargeError
   * for the largest, before anything is sent. When the server refuses the write anyway (its limit
   * went down since it was read), the same error, with the limit read again.
   */
  async run<T>(db: AnyKysely, operation: string, carried: readonly Carried[], write: () => Promise<T>): Promise<T> {
    // At most 3 bytes per UTF-16 unit, escapes included: most data fits without counting.
    const doubtful = carried.filter(({ id, data }) => (id.length + data.length) * 3 + 4 > this.budget);
    if (doubtful.length > 0) {
      const largest = largestOf(doubtful);
      if (largest.bytes > this.budget) {
        await this.read(db);
        if (largest.bytes > this.budget) throw this.#tooLarge(largest, operation);
      }
    }
    try {
      return await write();
    } catch (error) {
      // A refusal can also arrive as the connection reset, before its error packet was read.
      const refused = isPacketTooLarge(error) || (doubtful.length > 0 && isReset(error));
      if (error instanceof JobStoreError || !refused || carried.length === 0) throw error;
      const largest = largestOf(carried);
      await this.read(db);
      if (!isPacketTooLarge(error) && largest.bytes <= this.budget) throw error;
      throw this.#tooLarge(largest, operation, error);
    }
  }

  #tooLarge(job: { id: string; bytes: number }, operation: string, cause?: unknown): JobTooLargeError {
    return new JobTooLargeError(this.#store, job.id, operation, job.bytes + STATEMENT_ROOM, this.#limit, SETTING, cause);
  }
}

/** The job whose id and data take the most bytes in a statement. */
function largestOf(carried: readonly Carried[]): { id: string; bytes: number } {
  let largest = { id: '', bytes: -1 };
  for (const { id, data } of carried) {
    const bytes = statementBytes(id) + statementBytes(data);
    if (bytes > largest.bytes) largest = { id, bytes };
  }
  return largest;
}
