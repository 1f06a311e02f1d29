import type { DataObject, DataValue, JobData, JobRecord, Trigger, TriggerJSON } from '@jobstore/core';
import { InvalidArgumentError, triggerFromJSON } from '@jobstore/core';
import { JobDataError } from './errors.js';
import type { JobModification, TriggerOptions, TriggerType } from './scheduler.js';

/** A job's fields, as a store record and its data give them. */
export interface JobFields {
  readonly id: string;
  readonly name: string;
  /** The registered task's name. */
  readonly task: string;
  readonly trigger: Trigger;
  readonly args: readonly DataValue[];
  readonly kwargs: DataObject;
  readonly executor: string;
  readonly jobstore: string;
  /** Seconds a run may start late and still run; null: however late. */
  readonly misfireGraceTime: number | null;
  /** Run once, not once per missed fire time, when several are due at once. */
  readonly coalesce: boolean;
  /** Most runs of this job at once, in this process. */
  readonly maxInstances: number;
  /** null while paused. */
  readonly nextRunTime: Date | null;
  /** The store's version of the record, for optimistic updates. */
  readonly version: number;
  /** What the job's creator recorded about where it comes from (addJob's `origin`); the scheduler never reads it. */
  readonly origin?: DataObject;
  /**
   * Why this process cannot run the job (its task is not registered here, its executor is
   * missing); absent when it can. The job is kept: it runs once the task is registered here,
   * and another process sharing the store may run it meanwhile.
   */
  readonly unrunnable?: string;
}

/** What a Job's methods call: the scheduler that gave it out. */
export interface JobControl {
  modifyJob(id: string, changes: JobModification, jobstore?: string): Promise<Job>;
  rescheduleJob(id: string, trigger: Trigger | TriggerType, options?: TriggerOptions & { jobstore?: string }): Promise<Job>;
  pauseJob(id: string, jobstore?: string): Promise<Job>;
  resumeJob(id: string, jobstore?: string): Promise<Job | null>;
  removeJob(id: string, jobstore?: string): Promise<void>;
}

/**
 * A job as the scheduler shows it (APScheduler's Job): a snapshot of its store record, with
 * APScheduler's methods. A Job is not changed in place: each method resolves with the job as
 * stored after the change (resume with null when the trigger is done and the job was removed).
 */
// The class takes its fields from the interface of the same name: one list of them, in JobFields.
export interface Job extends JobFields {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the fields are set from JobFields in the constructor
export class Job {
  readonly #scheduler: JobControl | undefined;

  constructor(fields: JobFields, scheduler?: JobControl) {
    // Own keys are the fields given: an absent origin or unrunnable stays absent.
    Object.assign(this, fields);
    this.#scheduler = scheduler;
  }

  /** Changes the job's fields (APScheduler's Job.modify); unchanged fields are kept. */
  modify(changes: JobModification): Promise<Job> {
    return this.#control('modify').modifyJob(this.id, changes, this.jobstore);
  }

  /** Gives the job a new trigger and its first fire time (Job.reschedule). */
  reschedule(trigger: Trigger | TriggerType, options: TriggerOptions = {}): Promise<Job> {
    return this.#control('reschedule').rescheduleJob(this.id, trigger, { ...options, jobstore: this.jobstore });
  }

  /** Stops the job firing until resume (Job.pause). */
  pause(): Promise<Job> {
    return this.#control('pause').pauseJob(this.id, this.jobstore);
  }

  /** Schedules the paused job from now; null when its trigger is done and it was removed (Job.resume). */
  resume(): Promise<Job | null> {
    return this.#control('resume').resumeJob(this.id, this.jobstore);
  }

  /** Removes the job from its store (Job.remove). */
  remove(): Promise<void> {
    return this.#control('remove').removeJob(this.id, this.jobstore);
  }

  #control(op: string): JobControl {
    if (this.#scheduler === undefined) throw new InvalidArgumentError(`Job.${op}: this job was not given out by a scheduler`);
    return this.#scheduler;
  }
}

/** A run going on in this process: a fire time handed to an executor, or a run asked for with runJob. */
export interface RunningJob {
  readonly jobstore: string;
  readonly jobId: string;
  /** The fire time it runs (for runJob, when it was asked for). */
  readonly scheduledRunTime: Date;
  /** When it was handed to the executor, by the scheduler's clock. */
  readonly startedAt: Date;
}

/** What the scheduler keeps in a job's data (version 1). Everything else about the job is the store's. */
export interface JobSpec {
  readonly task: string;
  readonly name: string;
  readonly args: readonly DataValue[];
  readonly kwargs: DataObject;
  readonly trigger: TriggerJSON;
  readonly executor: string;
  readonly misfireGraceTime: number | null;
  readonly coalesce: boolean;
  readonly maxInstances: number;
  /** Kept for the job's creator, never interpreted (absent in data written before it existed). */
  readonly origin?: DataObject;
}

const SPEC_VERSION = 1;

export function specToData(spec: JobSpec): JobData {
  const { origin, ...rest } = spec;
  return { scheduler: SPEC_VERSION, ...rest, trigger: spec.trigger as unknown as DataObject, ...(origin !== undefined ? { origin } : {}) };
}

const isPlainObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** Reads a job's data back; JobDataError (the job is kept) when it is not a job this release understands. */
export function specFromData(id: string, data: JobData): JobSpec {
  const fail = (reason: string): never => {
    throw new JobDataError(id, reason);
  };
  if (data['scheduler'] !== SPEC_VERSION) fail(`unknown scheduler data version ${JSON.stringify(data['scheduler'])}`);
  const { task, name, args, kwargs, trigger, executor, misfireGraceTime, coalesce, maxInstances, origin } = data;
  if (typeof task !== 'string' || task === '') fail('task is not a name');
  if (typeof name !== 'string') fail('name is not a string');
  if (!Array.isArray(args)) fail('args is not an array');
  if (!isPlainObject(kwargs)) fail('kwargs is not an object');
  if (typeof executor !== 'string') fail('executor is not a name');
  if (misfireGraceTime !== null && (typeof misfireGraceTime !== 'number' || !(misfireGraceTime > 0))) fail('misfireGraceTime is not a positive number or null');
  if (typeof coalesce !== 'boolean') fail('coalesce is not a boolean');
  if (typeof maxInstances !== 'number' || !Number.isInteger(maxInstances) || maxInstances < 1) fail('maxInstances is not a positive integer');
  if (origin !== undefined && !isPlainObject(origin)) fail('origin is not an object');
  return {
    task: task as string,
    name: name as string,
    args: args as DataValue[],
    kwargs: kwargs as DataObject,
    trigger: trigger as unknown as TriggerJSON,
    executor: executor as string,
    misfireGraceTime: misfireGraceTime as number | null,
    coalesce: coalesce as boolean,
    maxInstances: maxInstances as number,
    ...(origin !== undefined ? { origin: origin as DataObject } : {}),
  };
}

/** The Job view of a record; JobDataError when its data or trigger cannot be read. */
export function jobFromRecord(record: JobRecord, jobstore: string, scheduler?: JobControl, unrunnable?: string): Job {
  const spec = specFromData(record.id, record.data);
  let trigger: Trigger;
  try {
    trigger = triggerFromJSON(spec.trigger);
  } catch (error) {
    throw new JobDataError(record.id, `its trigger cannot be read (${(error as Error).message})`);
  }
  const { trigger: _json, ...rest } = spec;
  return new Job({ id: record.id, ...rest, trigger, jobstore, nextRunTime: record.nextRunTime, version: record.version, ...(unrunnable === undefined ? {} : { unrunnable }) }, scheduler);
}
