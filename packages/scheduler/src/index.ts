export { Scheduler, type AddJobOptions, type JobModification, type SchedulerOptions, type SchedulerState, type TriggerOptions, type TriggerType } from './scheduler.js';
export { Job, type JobControl, type JobFields, type RunningJob } from './job.js';
export {
  EVENT_ALL,
  EVENT_ALL_JOBS_REMOVED,
  EVENT_CODES,
  EVENT_EXECUTOR_ADDED,
  EVENT_EXECUTOR_REMOVED,
  EVENT_JOB_ADDED,
  EVENT_JOB_ERROR,
  EVENT_JOB_EXECUTED,
  EVENT_JOB_MAX_INSTANCES,
  EVENT_JOB_MISSED,
  EVENT_JOB_MODIFIED,
  EVENT_JOB_REMOVED,
  EVENT_JOB_SUBMITTED,
  EVENT_JOBSTORE_ADDED,
  EVENT_JOBSTORE_ERROR,
  EVENT_JOBSTORE_REMOVED,
  EVENT_SCHEDULER_PAUSED,
  EVENT_SCHEDULER_RESUMED,
  EVENT_SCHEDULER_SHUTDOWN,
  EVENT_SCHEDULER_STARTED,
  type SchedulerEvent,
  type SchedulerEventBody,
  type SchedulerEventOf,
  type SchedulerEventType,
  type SchedulerListener,
} from './events.js';
export type { ExecutorConfig } from './config.js';
export { STORE_TYPES, type JobStoreConfig, type ModuleStoreConfig, type StoreType, type TypedStoreConfig } from './store-loader.js';
export {
  APSCHEDULER_JOB_DEFAULTS,
  camelCase,
  checkJobOptions,
  isAddJobOption,
  JOB_DEFAULT_OPTIONS,
  JOB_OPTIONS,
  MODIFIABLE_JOB_OPTIONS,
  snakeCase,
  TRIGGER_OPTION_NAMES,
  TRIGGER_OPTIONS,
  TRIGGER_TYPES,
  triggerFromOptions,
  type JobDefaults,
  type JobOptionName,
  type ModifiableJobOptionName,
  type SnakeCase,
  type TriggerOptionName,
} from './job-spec.js';
export type { Executor, JobRun } from './executors/executor.js';
export { AsyncExecutor, DebugExecutor } from './executors/async-executor.js';
export { ProcessPoolExecutor, ThreadPoolExecutor } from './executors/pool-executor.js';
export { WorkerTaskError } from './executors/worker-protocol.js';
export { currentJob, type JobContext } from './executors/context.js';
export type { TaskEntry, TaskFunction, TaskModule } from './tasks.js';
export { JobDataError, MaxInstancesReachedError, SchedulerNotRunningError, SchedulerStateError, TaskLookupError } from './errors.js';
