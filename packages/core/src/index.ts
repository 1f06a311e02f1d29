export type { DataObject, DataValue, JobChanges, JobData, JobRecord, NewJob } from './job.js';
export { MAX_ID_LENGTH } from './job.js';
export type {
  AcquireOptions,
  ChangeEvent,
  JobPage,
  JobRelease,
  JobReleaseItem,
  JobStore,
  ListOptions,
  NotificationMode,
  ReleaseResult,
  StoreEvent,
  StoreListener,
  Unsubscribe,
  UpdateOptions,
} from './job-store.js';
export type {
  DriverEvent,
  LazyStoreDriver,
  ListPosition,
  ReleaseItem,
  ReleaseOutcome,
  RowChanges,
  RowRelease,
  StoreDriver,
  StoreDriverSource,
  StoredJob,
  WriteOutcome,
} from './driver.js';
export { BaseJobStore } from './store-base.js';
export { createJobStore } from './create-job-store.js';
export type { StoreFactory } from './store-factory.js';
export { holdsLease, isClaimable, releaseRefusal, type LeaseFields } from './lease-rules.js';
export { resolveLogger, stderrLogger, type LogFields, type Logger, type StoreOptions } from './logger.js';
export { JobIndex } from './job-index.js';
export { parseChangeMessage } from './change-message.js';
export { guardTransient, isNetworkError } from './transient.js';
export { checkStoreOptions, type StoreOptionRules } from './store-options.js';
export { chunksWithin } from './chunks.js';
export {
  ConflictingIdError,
  CorruptJobError,
  InvalidArgumentError,
  JobLookupError,
  JobStoreError,
  JobTooLargeError,
  LeaseLostError,
  SerializationError,
  StoreClosedError,
  StoreUnavailableError,
  VersionConflictError,
} from './errors.js';
export { CODEC_VERSION, MAX_DATA_DEPTH, decodeData, encodeData, isPortableString } from './codec.js';
export { assertJobId, compareIds } from './ids.js';
export { describeValue, MAX_DESCRIPTION } from './describe.js';
export {
  MAX_BATCH,
  MAX_LEASE_MS,
  MAX_OWNER_LENGTH,
  MAX_TIME,
  MIN_TIME,
  NAMESPACE_PATTERN,
  assertNamespace,
} from './validate.js';
export { InvalidTriggerError } from './errors.js';
export type {
  AndTriggerJSON,
  CalendarIntervalTriggerJSON,
  CronTriggerJSON,
  DateTriggerJSON,
  IntervalTriggerJSON,
  OrTriggerJSON,
  Trigger,
  TriggerJSON,
} from './triggers/trigger.js';
export { DateTrigger, type DateTriggerOptions } from './triggers/date-trigger.js';
export { IntervalTrigger, type IntervalTriggerOptions } from './triggers/interval-trigger.js';
export { CronTrigger, type CronTriggerOptions } from './triggers/cron/cron-trigger.js';
export type { FieldName as CronFieldName } from './triggers/cron/fields.js';
export { CalendarIntervalTrigger, type CalendarIntervalTriggerOptions } from './triggers/calendar-interval-trigger.js';
export { AndTrigger, OrTrigger } from './triggers/combining-triggers.js';
export { triggerFromJSON } from './triggers/from-json.js';
export { createTrigger, type TriggerOptionsByType } from './triggers/create-trigger.js';
export type { CrontabOptions } from './triggers/cron/cron-trigger.js';
export type { AndTriggerOptions } from './triggers/combining-triggers.js';
