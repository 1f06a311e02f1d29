/**
 * A value the codec keeps losslessly: JSON plus Date, BigInt, Map, Set, Uint8Array, undefined
 * and the numbers JSON cannot write (NaN, ±Infinity, -0).
 */
export type DataValue = null | undefined | boolean | number | bigint | string | Date | Uint8Array | readonly DataValue[] | ReadonlyMap<DataValue, DataValue> | ReadonlySet<DataValue> | DataObject;

/** A plain object of data values. */
export interface DataObject {
  readonly [key: string]: DataValue;
}

/** What a job carries for whoever runs it; the store keeps it and never interprets it. */
export type JobData = DataObject;

/** A job as the store keeps it. Records are snapshots: changing one changes nothing stored. */
export interface JobRecord {
  /** Any non-empty string of up to 512 code points (see {@link MAX_ID_LENGTH}). */
  readonly id: string;
  /** When the job is next due, to the millisecond; null while the job is paused. */
  readonly nextRunTime: Date | null;
  /** The job's payload, as it was given. */
  readonly data: JobData;
  /** 1 when added; +1 on every change to nextRunTime or data. Lease changes alone leave it. */
  readonly version: number;
  /** The owner that holds the lease, or null. */
  readonly acquiredBy: string | null;
  /** The lease is live while now <= acquiredUntil; null when nobody holds it. */
  readonly acquiredUntil: Date | null;
}

/** What addJob takes. */
export interface NewJob {
  readonly id: string;
  /** null adds the job paused. */
  readonly nextRunTime: Date | null;
  /** Defaults to `{}` when absent (or undefined); null is refused with SerializationError, as updateJob refuses it. */
  readonly data?: JobData;
}

/** What updateJob may change; at least one field. */
export interface JobChanges {
  readonly nextRunTime?: Date | null;
  readonly data?: JobData;
}

/** Longest id, in Unicode code points, that every backend can index. */
export const MAX_ID_LENGTH = 512;
