export type { DataObject, DataValue, JobChanges, JobData, JobRecord, NewJob } from './job.js';
export { MAX_ID_LENGTH } from './job.js';
export type {
  AcquireOptions,
  ChangeEvent,
  JobPage,
  JobRelease,
  JobStore,
  ListOptions,
  NotificationMode,
  StoreEvent,
  StoreListener,
  Unsubscribe,
  UpdateOptions,
} from './job-store.js';
export type {
  DriverEvent,
  ListPosition,
  ReleaseOutcome,
  RowChanges,
  RowRelease,
  StoreDriver,
  StoredJob,
  WriteOutcome,
} from './driver.js';
export { BaseJobStore } from './store-base.js';
export {
  ConflictingIdError,
  CorruptJobError,
  InvalidArgumentError,
  JobLookupError,
  JobStoreError,
  LeaseLostError,
  SerializationError,
  StoreClosedError,
  StoreUnavailableError,
  VersionConflictError,
} from './errors.js';
export { CODEC_VERSION, MAX_DATA_DEPTH, decodeData, encodeData, isPortableString } from './codec.js';
export { assertJobId, compareIds } from './ids.js';
export {
  MAX_BATCH,
  MAX_LEASE_MS,
  MAX_TIME,
  MIN_TIME,
  NAMESPACE_PATTERN,
  assertNamespace,
} from './validate.js';
