import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ConflictingIdError,
  describeValue,
  InvalidArgumentError,
  JobLookupError,
  resolveLogger,
  VersionConflictError,
  type DataObject,
  type DataValue,
  type JobData,
  type JobRecord,
  type JobStore,
  type Logger,
  type Trigger,
} from '@jobstore/core';
import { executorFromConfig, isExecutor, isJobStore, type ExecutorConfig } from './config.js';
import { checkJobOptions, isAddJobOption, pickTriggerOptions, resolveJobDefaults, triggerFromOptions, type JobDefaults, type TriggerOptions, type TriggerType } from './job-spec.js';
import { storeFromConfig, type JobStoreConfig } from './store-loader.js';
import { Dispatcher, type DispatchContext } from './dispatcher.js';
import { MaxInstancesReachedError, missingTaskReason, SchedulerNotRunningError, SchedulerStateError, TaskLookupError } from './errors.js';
import { EventLog, LOGGED_EVENTS } from './event-log.js';
import { EventHub, eventTypes, type SchedulerEventOf, type SchedulerEventType, type SchedulerListener } from './events.js';
import type { Executor } from './executors/executor.js';
import { jobFromRecord, specFromData, specToData, type Job, type JobSpec, type RunningJob } from './job.js';
import { inlineTaskName, isInlineFunction, TaskRegistry, taskOwner, type TaskEntry, type TaskFunction, type TaskModule } from './tasks.js';

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  /** Job stores by alias; `default` is used when a job names none. Default: `{ default: { type: 'memory' } }`. */
  readonly jobstores?: Readonly<Record<string, JobStore | JobStoreConfig>>;
  /** Executors by alias; `default` is used when a job names none. Default: `{ default: { type: 'async' } }`. */
  readonly executors?: Readonly<Record<string, Executor | ExecutorConfig>>;
  readonly jobDefaults?: JobDefaults;
  /** IANA zone for triggers made by addJob without one. Default: the system's zone. */
  readonly timezone?: string;
  /** Do not keep the process alive for the scheduler's timers (APScheduler's daemon threads). */
  readonly daemon?: boolean;
  /** This scheduler's lease owner id: unique among the processes sharing a store. Default: host:pid:random. */
  readonly schedulerId?: string;
  /** How long a claim lasts before another scheduler may take the job over, in ms. Default 30,000. */
  readonly leaseMs?: number;
  /** Most jobs claimed per store per round. Default 100. */
  readonly batchSize?: number;
  /** How often to look for other processes' changes in a store that cannot push them, in ms. Default 1,000. */
  readonly pollInterval?: number;
  /** Longest sleep between rounds even when nothing is due, in ms. Default 10,000. */
  readonly maxWait?: number;
  /** The clock (for tests). Default: the wall clock. */
  readonly clock?: () => Date;
  /**
   * The application's folder, where modules are resolved from: store packages and files named by
   * a store config (`{ type: 'sql' }`, `{ module: 'my-store' }`), found in its node_modules;
   * importTasks' relative paths; `<module>:<export>` task names (`./tasks.mjs:send` finds the
   * task registered for that file, however it was spelled). Default: the working directory. The
   * service sets it to the config file's folder.
   */
  readonly baseDir?: string;
  /**
   * Where the scheduler reports what happened without a listener asking: a job's error with its
   * stack, a missed run, a run skipped by maxInstances, a lost lease, a stored job it cannot use,
   * a store that went away and came back (once each way, with how long), a listener that threw.
   * console, pino (as it is) or anything with `warn` and `error`; `false` says nothing. Default:
   * warnings and errors to stderr, one line each.
   */
  readonly logger?: Logger | false;
}

export type { TriggerOptions, TriggerType } from './job-spec.js';

/** What addJob takes: APScheduler's add_job, camelCased. */
export interface AddJobOptions extends TriggerOptions, JobDefaults {
  /**
   * A registered task's name, or a function. A named function is registered under its name
   * (unless it is registered already); a function without a name of its own (an arrow or
   * anonymous function, whose name is `''`, or the `func` JavaScript infers from this key)
   * becomes the job's own task, `inline:<id>`: replacing the job replaces it, removing the job
   * unregisters it, and after a restart the job cannot run until it is added again.
   */
  readonly func: string | TaskFunction;
  /** A trigger, or a trigger type whose options are given alongside. Default: run once, now. */
  readonly trigger?: Trigger | TriggerType;
  readonly args?: readonly DataValue[];
  readonly kwargs?: DataObject;
  /** Default: a random UUID. */
  readonly id?: string;
  /** Default: the task's name. */
  readonly name?: string;
  /** Overrides the trigger's first fire time; null adds the job paused. */
  readonly nextRunTime?: Date | null;
  readonly jobstore?: string;
  readonly executor?: string;
  /** Replace a job with the same id instead of failing with ConflictingIdError. */
  readonly replaceExisting?: boolean;
  /**
   * Anything the caller wants kept with the job about where it comes from (the service keeps the
   * config entry it made the job from). Stored with the job and kept by modifyJob, rescheduleJob,
   * pauseJob and resumeJob; the scheduler never interprets it.
   */
  readonly origin?: DataObject;
}

/** What modifyJob may change. */
export interface JobModification extends JobDefaults {
  readonly func?: string | TaskFunction;
  readonly name?: string;
  readonly args?: readonly DataValue[];
  readonly kwargs?: DataObject;
  readonly executor?: string;
  readonly trigger?: Trigger;
  readonly nextRunTime?: Date | null;
  /** A new origin (see AddJobOptions.origin); null removes it. */
  readonly origin?: DataObject | null;
}

export type SchedulerState = 'stopped' | 'running' | 'paused' | 'shut down';

function finishedSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve: () => resolve() };
}

/**
 * A memory store's jobs live in its database object, not on a server: the store made again after
 * a shutdown opens the closed one's database, or the restart would lose every job.
 */
function sameMemory(config: JobStoreConfig, closed: JobStore | undefined): JobStoreConfig {
  const database = (closed as { database?: unknown } | undefined)?.database;
  return config.type === 'memory' && config['database'] === undefined && database !== undefined ? { ...config, database } : config;
}

const isPlainObject = (value: unknown): value is DataObject => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * APScheduler's scheduler for Node. Jobs live in job stores (several, by alias), run in
 * executors (several, by alias), and fire by triggers. Any number of schedulers may share a
 * store: each due fire time is claimed by exactly one of them (leases), and the jobs of a
 * scheduler that dies are taken over when its leases end.
 */
export class Scheduler {
  readonly id: string;
  readonly timezone: string;
  readonly #options: SchedulerOptions;
  readonly #defaults: Required<JobDefaults>;
  readonly #tasks: TaskRegistry;
  readonly #logger: Logger;
  readonly #eventLog: EventLog;
  readonly #events: EventHub;
  readonly #stores = new Map<string, JobStore>();
  readonly #executors = new Map<string, Executor>();
  /** How each store and executor came: its configuration, which a start after shutdown builds again, or null for an instance the caller made. */
  readonly #storeConfigs = new Map<string, JobStoreConfig | null>();
  readonly #executorConfigs = new Map<string, ExecutorConfig | null>();
  readonly #dispatchTiming: Pick<DispatchContext, 'leaseMs' | 'batchSize' | 'pollInterval' | 'maxWait'>;
  #dispatcher: Dispatcher;
  readonly #clock: () => Date;
  #ready: Promise<void>;
  #state: SchedulerState = 'stopped';
  #starting = false;
  #shutdown: Promise<void> | undefined;
  #finished: { promise: Promise<void>; resolve: () => void };

  constructor(options: SchedulerOptions = {}) {
    this.#options = options;
    this.#logger = resolveLogger(options.logger, 'Scheduler');
    this.#events = new EventHub(this.#logger);
    this.#clock = options.clock ?? (() => new Date());
    this.#eventLog = new EventLog(this.#logger, () => this.#clock().getTime());
    this.#events.add(this.#eventLog.listener, LOGGED_EVENTS);
    this.#defaults = resolveJobDefaults(options.jobDefaults);
    if (options.baseDir !== undefined && (typeof options.baseDir !== 'string' || options.baseDir === ''))
      throw new InvalidArgumentError(`Scheduler: baseDir must be a directory path, got ${describeValue(options.baseDir)}`);
    this.#tasks = new TaskRegistry(() => options.baseDir ?? process.cwd());
    // A job's inline task goes with the job.
    this.#events.add(
      (event) => {
        if (event.type === 'job_removed') this.#tasks.releaseOwned(taskOwner(event.jobstore, event.jobId));
        else if (event.type === 'all_jobs_removed') this.#tasks.releaseStore(event.alias);
      },
      new Set(['job_removed', 'all_jobs_removed']),
    );
    this.timezone = options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.id = options.schedulerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const positive = (name: keyof SchedulerOptions, fallback: number): number => {
      const value = options[name] ?? fallback;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`Scheduler: ${name} must be a positive integer, got ${describeValue(value)}`);
      return value;
    };
    this.#dispatchTiming = { leaseMs: positive('leaseMs', 30_000), batchSize: positive('batchSize', 100), pollInterval: positive('pollInterval', 1000), maxWait: positive('maxWait', 10_000) };
    for (const [alias, executor] of Object.entries(options.executors ?? { default: { type: 'async' } })) {
      this.#executors.set(alias, isExecutor(executor) ? executor : executorFromConfig(alias, executor));
      this.#executorConfigs.set(alias, isExecutor(executor) ? null : executor);
    }
    this.#finished = finishedSignal();
    // Stores described by configuration are imported asynchronously; every call waits for them.
    this.#ready = this.#openStores(options.jobstores ?? { default: { type: 'memory' } });
    this.#ready.catch(() => undefined);
    this.#dispatcher = this.#newDispatcher();
  }

  #newDispatcher(): Dispatcher {
    return new Dispatcher({
      owner: this.id,
      ...this.#dispatchTiming,
      daemon: this.#options.daemon ?? false,
      clock: this.#clock,
      stores: () => this.#stores,
      executor: (alias) => this.#executors.get(alias),
      task: (name) => this.#tasks.get(name),
      emit: (event) => this.#events.emit(event),
      storeOk: (alias) => this.#eventLog.storeOk(alias),
      logger: this.#logger,
    });
  }

  async #openStores(stores: Readonly<Record<string, JobStore | JobStoreConfig>>): Promise<void> {
    for (const [alias, store] of Object.entries(stores)) {
      this.#storeConfigs.set(alias, isJobStore(store) ? null : store);
      this.#stores.set(alias, isJobStore(store) ? store : await storeFromConfig(alias, store, this.#baseDir));
    }
  }

  /** `stopped` before start, then `running` or `paused`, and `shut down` after shutdown (until start() runs it again). */
  get state(): SchedulerState {
    return this.#state;
  }

  get running(): boolean {
    return this.#state === 'running' || this.#state === 'paused';
  }

  /** The job defaults in effect: the options' jobDefaults over APScheduler's (misfireGraceTime 1, coalesce true, maxInstances 1). */
  get jobDefaults(): Required<JobDefaults> {
    return { ...this.#defaults };
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /**
   * Opens the stores and starts dispatching in the background of the event loop; resolves once
   * running. With `paused`, jobs are not run until resume().
   *
   * After shutdown it starts again when it can reopen what shutdown closed: stores and executors
   * given as configuration are built again from it (a memory store gets its jobs back); ones
   * given as instances cannot be reopened, and a start is then refused with SchedulerStateError,
   * as it is while runs that a `shutdown({ wait: false })` left behind are still going.
   */
  async start(options: { paused?: boolean } = {}): Promise<void> {
    if (this.running) throw new SchedulerStateError('the scheduler is already running');
    if (this.#starting) throw new SchedulerStateError('the scheduler is already starting');
    this.#starting = true;
    const restart = this.#state === 'shut down';
    try {
      if (restart) await this.#reopen();
      const shutdown = this.#shutdown;
      await this.#ready;
      // A store written before open() joined the contract may lack it: it opens on first use then.
      for (const store of this.#stores.values()) if (typeof store.open === 'function') await store.open();
      // shutdown() while this start waited: it closed what was opened, so the scheduler stays shut down.
      if (this.#shutdown !== shutdown) throw new SchedulerStateError('the scheduler was shut down while it started');
      this.#state = options.paused === true ? 'paused' : 'running';
      this.#dispatcher.start(options.paused === true);
    } catch (error) {
      // A restart that failed half way (a store that cannot connect) closes again what it made.
      if (restart && this.#shutdown === undefined) await this.shutdown({ wait: false });
      throw error;
    } finally {
      this.#starting = false;
    }
    this.#events.emit({ type: 'scheduler_started' });
    if (options.paused === true) this.#events.emit({ type: 'scheduler_paused' });
  }

  /**
   * Before a start after shutdown: everything shutdown closed, made again. Refused (nothing
   * changed) when something cannot be: an instance, or runs of the old dispatcher still going,
   * which a new one would not count against maxInstances.
   */
  async #reopen(): Promise<void> {
    await this.#shutdown;
    const given = [
      ...[...this.#storeConfigs].map(([alias, config]) => [`jobstore ${JSON.stringify(alias)}`, config] as const),
      ...[...this.#executorConfigs].map(([alias, config]) => [`executor ${JSON.stringify(alias)}`, config] as const),
    ].filter(([, config]) => config === null);
    if (given.length > 0) {
      const names = given.map(([name]) => name).join(', ');
      throw new SchedulerStateError(
        `the scheduler was shut down and cannot start again: ${names} ${given.length === 1 ? 'was' : 'were'} given as an instance, which shutdown closed for good; give stores and executors as configuration (like { type: 'sql', url }) to restart, or make a new Scheduler`,
      );
    }
    const left = this.#dispatcher.running().length;
    if (left > 0)
      throw new SchedulerStateError(
        `the scheduler was shut down and cannot start again yet: ${left} run${left === 1 ? '' : 's'} from before the shutdown ${left === 1 ? 'is' : 'are'} still going (runningJobs() lists them)`,
      );
    const closed = new Map(this.#stores);
    this.#shutdown = undefined;
    this.#finished = finishedSignal();
    for (const [alias, config] of this.#executorConfigs) if (config !== null) this.#executors.set(alias, executorFromConfig(alias, config));
    this.#ready = (async () => {
      for (const [alias, config] of this.#storeConfigs) if (config !== null) this.#stores.set(alias, await storeFromConfig(alias, sameMemory(config, closed.get(alias)), this.#baseDir));
    })();
    this.#ready.catch(() => undefined);
    // The old dispatcher's claims and releases belong to the closed stores: a new one starts clean.
    this.#dispatcher = this.#newDispatcher();
  }

  /**
   * Starts (unless running) and resolves when the scheduler shuts down: APScheduler's
   * BlockingScheduler. With `signals` (default true), SIGINT and SIGTERM shut it down, waiting for jobs.
   */
  async run(options: { signals?: boolean } = {}): Promise<void> {
    if (!this.running) await this.start();
    const stop = (): void => void this.shutdown({ wait: true });
    if (options.signals !== false) {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
    try {
      await this.#finished.promise;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  /**
   * Stops dispatching, then (with `wait`, the default) waits for running jobs and their
   * releases, shuts the executors down and closes the stores. start() may start it again
   * (see there). Without `wait`, a run left going may run its fire time again after a restart,
   * as after a crash: its release could not be written to the closed store. A second call
   * returns the first one's promise.
   *
   * On a scheduler that was never started it rejects with SchedulerNotRunningError, as
   * APScheduler's raises; it still closes the stores and executors (an addJob before start may
   * have opened a connection), so the scheduler is shut down all the same.
   */
  shutdown(options: { wait?: boolean } = {}): Promise<void> {
    const neverStarted = this.#state === 'stopped' && !this.#starting && this.#shutdown === undefined;
    this.#shutdown ??= (async () => {
      const wait = options.wait ?? true;
      const wasRunning = this.running;
      this.#state = 'shut down';
      await this.#dispatcher.stop(wait);
      await Promise.allSettled([...this.#executors.values()].map((executor) => executor.shutdown(wait)));
      await this.#ready.catch(() => undefined);
      await Promise.allSettled([...this.#stores.values()].map((store) => store.close()));
      if (wasRunning) this.#events.emit({ type: 'scheduler_shutdown' });
      this.#finished.resolve();
    })();
    if (neverStarted) {
      return this.#shutdown.then(() => {
        throw new SchedulerNotRunningError('shutdown', ' (it was never started; its stores and executors were closed)');
      });
    }
    return this.#shutdown;
  }

  /** Stops running jobs until resume(); jobs stay scheduled. */
  pause(): void {
    if (!this.running) throw new SchedulerNotRunningError('pause');
    if (this.#state === 'paused') return;
    this.#state = 'paused';
    this.#dispatcher.pause();
    this.#events.emit({ type: 'scheduler_paused' });
  }

  resume(): void {
    if (!this.running) throw new SchedulerNotRunningError('resume');
    if (this.#state === 'running') return;
    this.#state = 'running';
    this.#dispatcher.resume();
    this.#events.emit({ type: 'scheduler_resumed' });
  }

  // ---- tasks -----------------------------------------------------------------------------

  /**
   * Registers a function a job can run, by name. Give `module` (where a worker can import it)
   * for the threadpool and processpool executors.
   */
  registerTask(name: string, fn: TaskFunction, module?: TaskModule): void {
    this.#tasks.register(name, fn, module);
    this.#dispatcher.retryUnrunnable();
  }

  /**
   * Imports a module and registers its exported functions as `<prefix>:<exportName>`; returns
   * their names. A relative path is resolved against `baseDir`.
   */
  async importTasks(specifier: string | URL, options: { prefix?: string } = {}): Promise<string[]> {
    const names = await this.#tasks.importModule(specifier, options.prefix);
    this.#dispatcher.retryUnrunnable();
    return names;
  }

  /** Registered task names. */
  tasks(): string[] {
    return this.#tasks.names();
  }

  /**
   * The task a name refers to, or undefined: the task registered under that name, else, for a
   * `<module>:<export>` name, the one registered for the same export of the same module file,
   * however either side spelled the path (relative to `baseDir`, absolute, `file:` URL,
   * through a symlink). Looking a name up never imports anything.
   */
  getTask(name: string): TaskEntry | undefined {
    return this.#tasks.get(name);
  }

  /**
   * Registers `fn` and schedules it in one call (Flask-APScheduler's `@scheduler.task`); the
   * task name and job id default to the function's name, and an existing job is replaced.
   */
  async task(options: Omit<AddJobOptions, 'func'>, fn: TaskFunction): Promise<Job> {
    const name = options.id ?? fn.name;
    if (name === '') throw new InvalidArgumentError('task: give an id for an anonymous function');
    if (this.#tasks.nameOf(fn) === undefined) this.#tasks.register(name, fn);
    return this.addJob({ replaceExisting: true, id: name, ...options, func: fn });
  }

  // ---- jobs ------------------------------------------------------------------------------

  /** Adds a job (APScheduler's add_job) and returns it. ConflictingIdError unless replaceExisting. */
  async addJob(options: AddJobOptions): Promise<Job> {
    const op = 'addJob';
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${op}: options must be an object`);
    for (const key of Object.keys(options)) {
      if (!isAddJobOption(key)) throw new InvalidArgumentError(`${op}: unknown option ${JSON.stringify(key)}`);
    }
    this.#assertUsable(op);
    await this.#ready;
    checkJobOptions(options, op);
    if (options.origin !== undefined && !isPlainObject(options.origin)) throw new InvalidArgumentError(`${op}: origin must be a plain object`);
    const alias = options.jobstore ?? 'default';
    const id = options.id ?? randomUUID();
    const { task, undo } = this.#taskFor(options.func, op, alias, id);
    try {
      return await this.#addJob(options, op, alias, id, task);
    } catch (error) {
      undo();
      throw error;
    }
  }

  async #addJob(options: AddJobOptions, op: string, alias: string, id: string, task: string): Promise<Job> {
    const trigger = this.#trigger(options.trigger, options, op);
    const store = this.#store(alias, op);
    const executor = options.executor ?? 'default';
    if (!this.#executors.has(executor)) throw new InvalidArgumentError(`${op}: no executor ${JSON.stringify(executor)}`);
    const spec: JobSpec = {
      task,
      name: options.name ?? task,
      args: [...(options.args ?? [])],
      kwargs: options.kwargs ?? {},
      trigger: trigger.toJSON(),
      executor,
      misfireGraceTime: options.misfireGraceTime === undefined ? this.#defaults.misfireGraceTime : options.misfireGraceTime,
      coalesce: options.coalesce ?? this.#defaults.coalesce,
      maxInstances: options.maxInstances ?? this.#defaults.maxInstances,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
    };
    // A trigger that will never fire adds the job paused, as APScheduler does.
    const nextRunTime = options.nextRunTime !== undefined ? options.nextRunTime : trigger.getNextFireTime(null, this.#clock());
    const data = specToData(spec);
    let record: JobRecord;
    try {
      record = await store.addJob({ id, nextRunTime, data });
      this.#events.emit({ type: 'job_added', jobId: id, jobstore: alias });
    } catch (error) {
      if (!(error instanceof ConflictingIdError) || options.replaceExisting !== true) throw error;
      record = await store.updateJob(id, { nextRunTime, data });
      this.#events.emit({ type: 'job_modified', jobId: id, jobstore: alias });
    }
    // The job it replaced may have had an inline task of its own.
    this.#tasks.releaseOwned(taskOwner(alias, id), task);
    this.#dispatcher.wake();
    return this.#view(record, alias);
  }

  /** Changes a job's fields (APScheduler's modify_job); unchanged fields are kept. */
  async modifyJob(id: string, changes: JobModification, jobstore?: string): Promise<Job> {
    const op = 'modifyJob';
    checkJobOptions(changes, op);
    if (changes.origin !== undefined && changes.origin !== null && !isPlainObject(changes.origin)) throw new InvalidArgumentError(`${op}: origin must be a plain object or null`);
    if (changes.func === undefined) return this.#modify(id, changes, jobstore, op, undefined);
    // A function given inline becomes the job's own task, named after the job where it is stored.
    const { alias } = await this.#locate(id, jobstore, op);
    const { task, undo } = this.#taskFor(changes.func, op, alias, id);
    try {
      const job = await this.#modify(id, changes, alias, op, task);
      this.#tasks.releaseOwned(taskOwner(alias, id), task);
      return job;
    } catch (error) {
      undo();
      throw error;
    }
  }

  #modify(id: string, changes: JobModification, jobstore: string | undefined, op: string, task: string | undefined): Promise<Job> {
    return this.#update(id, jobstore, op, (spec, record) => {
      const { origin: _origin, ...kept } = spec;
      const origin = changes.origin === undefined ? spec.origin : (changes.origin ?? undefined);
      const next: JobSpec = {
        ...kept,
        ...(origin !== undefined ? { origin } : {}),
        ...(task !== undefined ? { task } : {}),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.args !== undefined ? { args: [...changes.args] } : {}),
        ...(changes.kwargs !== undefined ? { kwargs: changes.kwargs } : {}),
        ...(changes.executor !== undefined ? { executor: this.#executorAlias(changes.executor, op) } : {}),
        ...(changes.trigger !== undefined ? { trigger: this.#zoned(changes.trigger).toJSON() } : {}),
        ...(changes.misfireGraceTime !== undefined ? { misfireGraceTime: changes.misfireGraceTime } : {}),
        ...(changes.coalesce !== undefined ? { coalesce: changes.coalesce } : {}),
        ...(changes.maxInstances !== undefined ? { maxInstances: changes.maxInstances } : {}),
      };
      return { spec: next, nextRunTime: changes.nextRunTime !== undefined ? changes.nextRunTime : record.nextRunTime };
    });
  }

  /** Gives a job a new trigger and the trigger's first fire time (APScheduler's reschedule_job). */
  async rescheduleJob(id: string, trigger: Trigger | TriggerType, options: TriggerOptions & { jobstore?: string } = {}): Promise<Job> {
    const op = 'rescheduleJob';
    const { jobstore, ...triggerOptions } = options;
    const made = this.#trigger(trigger, triggerOptions, op);
    return this.#update(id, jobstore, op, (spec) => ({ spec: { ...spec, trigger: made.toJSON() }, nextRunTime: made.getNextFireTime(null, this.#clock()) }));
  }

  /** Stops a job firing until resumeJob. */
  pauseJob(id: string, jobstore?: string): Promise<Job> {
    return this.#update(id, jobstore, 'pauseJob', (spec) => ({ spec, nextRunTime: null }));
  }

  /** Schedules a paused job from now; a job whose trigger is done is removed, as APScheduler does. */
  async resumeJob(id: string, jobstore?: string): Promise<Job | null> {
    const job = await this.#find(id, jobstore, 'resumeJob');
    const next = job.job.trigger.getNextFireTime(null, this.#clock());
    if (next === null) {
      await this.removeJob(id, job.alias);
      return null;
    }
    return this.#update(id, job.alias, 'resumeJob', (spec) => ({ spec, nextRunTime: next }));
  }

  /** Removes a job. JobLookupError when it is not found. */
  async removeJob(id: string, jobstore?: string): Promise<void> {
    const { alias, store } = await this.#locate(id, jobstore, 'removeJob');
    await store.removeJob(id);
    this.#events.emit({ type: 'job_removed', jobId: id, jobstore: alias });
  }

  /** Removes every job of one store, or of all. */
  async removeAllJobs(jobstore?: string): Promise<void> {
    await this.#ready;
    const aliases = jobstore === undefined ? [...this.#stores.keys()] : [jobstore];
    for (const alias of aliases) {
      await this.#store(alias, 'removeAllJobs').removeAllJobs();
      this.#events.emit({ type: 'all_jobs_removed', alias });
    }
  }

  /** The job, or null. JobDataError when its record is not a job this scheduler can read. */
  async getJob(id: string, jobstore?: string): Promise<Job | null> {
    await this.#ready;
    for (const [alias, store] of this.#candidates(jobstore, 'getJob')) {
      const record = await store.lookupJob(id);
      if (record !== null) return this.#view(record, alias);
    }
    return null;
  }

  /** Every job of one store or all, by next run time (paused last); unreadable records are reported and skipped. */
  async getJobs(jobstore?: string): Promise<Job[]> {
    await this.#ready;
    const jobs: Job[] = [];
    for (const [alias, store] of this.#candidates(jobstore, 'getJobs')) {
      for (const record of await store.getAllJobs()) {
        try {
          jobs.push(this.#view(record, alias));
        } catch (error) {
          this.#events.emit({ type: 'jobstore_error', jobstore: alias, jobId: record.id, error });
        }
      }
    }
    return jobs;
  }

  /**
   * Runs a job now, through its executor, without touching its schedule; resolves with what the
   * task returned (rejects with what it threw). MaxInstancesReachedError when it is at maxInstances.
   */
  async runJob(id: string, jobstore?: string): Promise<unknown> {
    const { job } = await this.#find(id, jobstore, 'runJob');
    const task = this.#tasks.get(job.task);
    if (task === undefined) throw new TaskLookupError(job.task, id);
    const executor = this.#executors.get(job.executor);
    if (executor === undefined) throw new InvalidArgumentError(`runJob: no executor ${JSON.stringify(job.executor)}`);
    if (this.#dispatcher.instances(job.jobstore, id) >= job.maxInstances) throw new MaxInstancesReachedError(id, job.maxInstances);
    const now = this.#clock();
    this.#events.emit({ type: 'job_submitted', jobId: id, jobstore: job.jobstore, scheduledRunTimes: [now] });
    const result = await this.#dispatcher.execute(job, task, executor, now);
    if (!result.ok) throw result.value;
    return result.value;
  }

  /**
   * The runs going on in this process now (fire times and runJob's runs), oldest first: what
   * shutdown waits for, and what a process that exits sooner abandons.
   */
  runningJobs(): RunningJob[] {
    return this.#dispatcher.running();
  }

  // ---- stores, executors, events -----------------------------------------------------------

  /** Adds a job store under `alias` (APScheduler's add_jobstore). */
  async addJobstore(store: JobStore | JobStoreConfig, alias = 'default'): Promise<void> {
    this.#assertUsable('addJobstore');
    await this.#ready;
    if (this.#stores.has(alias)) throw new InvalidArgumentError(`addJobstore: a jobstore ${JSON.stringify(alias)} exists already`);
    const opened = isJobStore(store) ? store : await storeFromConfig(alias, store, this.#baseDir);
    this.#stores.set(alias, opened);
    this.#storeConfigs.set(alias, isJobStore(store) ? null : store);
    if (this.running) this.#dispatcher.watch(alias, opened);
    this.#events.emit({ type: 'jobstore_added', alias });
    this.#dispatcher.wake();
  }

  /** Removes (and closes) a job store; its jobs stay in it. */
  async removeJobstore(alias: string): Promise<void> {
    await this.#ready;
    const store = this.#store(alias, 'removeJobstore');
    this.#stores.delete(alias);
    this.#storeConfigs.delete(alias);
    await store.close();
    this.#events.emit({ type: 'jobstore_removed', alias });
  }

  addExecutor(executor: Executor | ExecutorConfig, alias = 'default'): void {
    if (this.#executors.has(alias)) throw new InvalidArgumentError(`addExecutor: an executor ${JSON.stringify(alias)} exists already`);
    this.#executors.set(alias, isExecutor(executor) ? executor : executorFromConfig(alias, executor));
    this.#executorConfigs.set(alias, isExecutor(executor) ? null : executor);
    this.#events.emit({ type: 'executor_added', alias });
  }

  async removeExecutor(alias: string, options: { wait?: boolean } = {}): Promise<void> {
    const executor = this.#executors.get(alias);
    if (executor === undefined) throw new InvalidArgumentError(`removeExecutor: no executor ${JSON.stringify(alias)}`);
    this.#executors.delete(alias);
    this.#executorConfigs.delete(alias);
    await executor.shutdown(options.wait ?? true);
    this.#events.emit({ type: 'executor_removed', alias });
  }

  /**
   * Calls `listener` for events of the given types (all when omitted): a list of type names, or
   * APScheduler's mask of event codes (`EVENT_JOB_EXECUTED | EVENT_JOB_ERROR`). Returns a
   * function that stops it.
   */
  addListener(listener: SchedulerListener, types?: readonly SchedulerEventType[] | number): () => void {
    if (typeof listener !== 'function') throw new InvalidArgumentError('addListener: listener must be a function');
    return this.#events.add(listener, eventTypes(types, 'addListener'));
  }

  /** Stops a listener added with addListener or on (APScheduler's remove_listener); false when it was not listening. */
  removeListener(listener: SchedulerListener): boolean {
    return this.#events.remove(listener);
  }

  /** addListener for one type, typed for it. */
  on<T extends SchedulerEventType>(type: T, listener: (event: SchedulerEventOf<T>) => void): () => void {
    return this.#events.add(listener as SchedulerListener, eventTypes([type], 'on'));
  }

  /**
   * A trigger from a type and its options, as addJob makes one: in the scheduler's zone unless
   * the options name one; a date trigger without runDate fires now, by the scheduler's clock.
   * InvalidTriggerError for a bad option.
   */
  makeTrigger(type: TriggerType, options: TriggerOptions = {}): Trigger {
    return this.#trigger(type, options, 'makeTrigger');
  }

  /** The scheduler's current time: its `clock` option's, else the wall clock's. */
  now(): Date {
    return this.#clock();
  }

  // ---- helpers ---------------------------------------------------------------------------

  get #baseDir(): string {
    return this.#options.baseDir ?? process.cwd();
  }

  /** A trigger made without a time zone takes the scheduler's, as one made from options does. */
  #zoned(trigger: Trigger): Trigger {
    return trigger.withDefaultTimezone?.(this.timezone) ?? trigger;
  }

  #assertUsable(op: string): void {
    if (this.#state === 'shut down') throw new SchedulerStateError(`${op}: the scheduler was shut down`);
  }

  #store(alias: string, op: string): JobStore {
    const store = this.#stores.get(alias);
    if (store === undefined) throw new InvalidArgumentError(`${op}: no jobstore ${JSON.stringify(alias)}`);
    return store;
  }

  #candidates(jobstore: string | undefined, op: string): [string, JobStore][] {
    return jobstore === undefined ? [...this.#stores] : [[jobstore, this.#store(jobstore, op)]];
  }

  #executorAlias(alias: string, op: string): string {
    if (!this.#executors.has(alias)) throw new InvalidArgumentError(`${op}: no executor ${JSON.stringify(alias)}`);
    return alias;
  }

  /**
   * The task name a job stores for `func`, registering a function given as func; `undo` takes an
   * inline registration back when the job's write then fails.
   */
  #taskFor(func: string | TaskFunction, op: string, alias: string, id: string): { task: string; undo: () => void } {
    const none = (): void => undefined;
    if (typeof func === 'string') {
      if (this.#tasks.get(func) === undefined) throw new InvalidArgumentError(`${op}: no task ${JSON.stringify(func)} is registered (registerTask or importTasks first)`);
      return { task: func, undo: none };
    }
    if (typeof func !== 'function') throw new InvalidArgumentError(`${op}: func must be a task name or a function`);
    const known = this.#tasks.nameOf(func);
    if (known !== undefined) return { task: known, undo: none };
    if (!isInlineFunction(func)) {
      this.#tasks.register(func.name, func, undefined, { op });
      return { task: func.name, undo: none };
    }
    const task = inlineTaskName(id);
    return { task, undo: this.#tasks.registerOwned(task, func, taskOwner(alias, id), op) };
  }

  /** A record as the Job the API shows, with why this process cannot run it, if it cannot. */
  #view(record: JobRecord, alias: string): Job {
    const job = jobFromRecord(record, alias, this);
    const reason =
      this.#tasks.get(job.task) === undefined ? missingTaskReason(job.task) : !this.#executors.has(job.executor) ? `executor ${JSON.stringify(job.executor)} is not configured in this process` : null;
    return reason === null ? job : jobFromRecord(record, alias, this, reason);
  }

  #trigger(trigger: Trigger | TriggerType | undefined, options: TriggerOptions, op: string): Trigger {
    if (trigger !== undefined && typeof trigger !== 'string') {
      if (Object.keys(pickTriggerOptions(options)).length > 0) throw new InvalidArgumentError(`${op}: trigger options go with a trigger type, not a trigger instance`);
      if (typeof trigger.getNextFireTime !== 'function') throw new InvalidArgumentError(`${op}: trigger must be a Trigger or a trigger type`);
      return this.#zoned(trigger);
    }
    return triggerFromOptions(trigger ?? 'date', options, { timezone: this.timezone, now: this.#clock() });
  }

  async #locate(id: string, jobstore: string | undefined, op: string): Promise<{ alias: string; store: JobStore; record: JobRecord }> {
    this.#assertUsable(op);
    await this.#ready;
    for (const [alias, store] of this.#candidates(jobstore, op)) {
      const record = await store.lookupJob(id);
      if (record !== null) return { alias, store, record };
    }
    throw new JobLookupError(jobstore ?? [...this.#stores.keys()].join(','), id, op);
  }

  async #find(id: string, jobstore: string | undefined, op: string): Promise<{ alias: string; job: Job }> {
    const { alias, record } = await this.#locate(id, jobstore, op);
    return { alias, job: jobFromRecord(record, alias, this) };
  }

  /** Read, change, write with the version read; retried if someone else wrote in between. */
  async #update(id: string, jobstore: string | undefined, op: string, change: (spec: JobSpec, record: JobRecord) => { spec: JobSpec; nextRunTime: Date | null }): Promise<Job> {
    for (let attempt = 1; ; attempt++) {
      const { alias, store, record } = await this.#locate(id, jobstore, op);
      const { spec, nextRunTime } = change(specFromData(id, record.data), record);
      try {
        const updated = await store.updateJob(id, { nextRunTime, data: specToData(spec) as JobData }, { expectedVersion: record.version });
        this.#events.emit({ type: 'job_modified', jobId: id, jobstore: alias });
        this.#dispatcher.wake();
        return this.#view(updated, alias);
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= 5) throw error;
      }
    }
  }
}
