import { ConflictingIdError, type DataObject, type Trigger, type TriggerJSON } from '@jobstore/core';
import { JobDataError, MODIFIABLE_JOB_OPTIONS, snakeCase, type Job, type JobModification, type Scheduler, type TriggerType } from '@jobstore/scheduler';
import type { z } from 'zod';
import type { ServiceLogger } from './logger.js';
import { addJobOptions, type newJobSchema, triggerOptions } from './schemas.js';

/** A JOBS entry, validated as a POST /jobs body. */
export type ConfigJob = z.infer<typeof newJobSchema>;

/** Where a job made from JOBS keeps its entry: `origin.config`, the entry with every default filled in. */
const ORIGIN_KEY = 'config';

/** The Scheduler's options that are a job's definition apart from its schedule (and its origin, which the service keeps itself). */
const DEFINITION = MODIFIABLE_JOB_OPTIONS.filter((option) => option !== 'trigger' && option !== 'nextRunTime' && option !== 'origin');
/** The entry's fields for them (`misfire_grace_time`), and the Scheduler's names (`misfireGraceTime`). */
const JOB_FIELDS: Readonly<Record<string, keyof JobModification>> = Object.fromEntries(DEFINITION.map((option) => [snakeCase(option), option]));
/** Which job an entry is; every other field (trigger, its fields, next_run_time) is the schedule. */
const IDENTITY = new Set(['id', 'jobstore']);

/** What a start did with the JOBS. */
export interface ConfigJobsOutcome {
  readonly added: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  /** Jobs made from a JOBS entry that is no longer in the file: left as they are. */
  readonly orphaned: string[];
}

interface Change {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Brings the store's jobs in line with the configuration's JOBS, keeping what users changed:
 *
 * - a job missing from its store is added, with its normalized entry kept as its origin;
 * - a job whose entry is unchanged since it was added is left exactly as it is (state, next run
 *   time, version), whatever was done to it through the API since;
 * - a job whose entry changed gets the changed fields (and only those); a new schedule gets a
 *   new trigger and, unless the job is paused, its first fire time from now;
 * - a job made from an entry that is no longer in the file is left alone (it is listed in the log).
 *
 * "Changed" is about the file: the entry with its defaults filled in, compared with the one kept
 * with the job, never the computed job (an interval without start_date would differ at every start).
 */
export async function syncConfigJobs(scheduler: Scheduler, entries: readonly ConfigJob[], logger: ServiceLogger): Promise<ConfigJobsOutcome> {
  const outcome: ConfigJobsOutcome = { added: [], updated: [], unchanged: [], orphaned: [] };
  const wanted = withIds(entries, logger);
  for (const body of wanted.values()) {
    const entry = normalize(body, scheduler);
    const id = entry['id'] as string;
    const jobstore = entry['jobstore'] as string;
    for (let attempt = 1; ; attempt++) {
      let job: Job | null;
      try {
        job = await scheduler.getJob(id, jobstore);
      } catch (error) {
        if (!(error instanceof JobDataError)) throw error;
        logger.warn(`jobstore: JOBS entry ${JSON.stringify(id)} not applied: the stored job cannot be read (${error.message}); it is kept as stored`);
        break;
      }
      if (job === null) {
        try {
          const { replaceExisting: _replace, ...options } = addJobOptions(body);
          await scheduler.addJob({ ...options, id, origin: { [ORIGIN_KEY]: entry } });
          outcome.added.push(id);
          logger.info(`jobstore: job ${JSON.stringify(id)} added from JOBS`);
        } catch (error) {
          // Another process sharing the store added it meanwhile: compare with theirs.
          if (error instanceof ConflictingIdError && attempt === 1) continue;
          throw error;
        }
        break;
      }
      // replace_existing: false in the file: add the job when missing, never change it.
      if (body.replace_existing === false) {
        outcome.unchanged.push(id);
        break;
      }
      const updated = await update(scheduler, job, entry, logger);
      (updated ? outcome.updated : outcome.unchanged).push(id);
      break;
    }
  }
  const inFile = new Set([...wanted.values()].map((body) => jobKey(body.jobstore ?? 'default', body.id as string)));
  for (const job of await scheduler.getJobs()) {
    if (isObject(job.origin?.[ORIGIN_KEY]) && !inFile.has(jobKey(job.jobstore, job.id))) outcome.orphaned.push(job.id);
  }
  if (outcome.orphaned.length > 0) {
    logger.info(`jobstore: ${list(outcome.orphaned)} came from JOBS entries no longer in the configuration; left as they are (remove them through the API or the dashboard)`);
  }
  return outcome;
}

/** Updates `job` from its entry where the entry changed; true when it wrote. */
async function update(scheduler: Scheduler, job: Job, entry: DataObject, logger: ServiceLogger): Promise<boolean> {
  const kept = job.origin?.[ORIGIN_KEY];
  // A job without a kept entry was made before entries were kept (or through the API under this id): compare with the job itself.
  const changes = isObject(kept) ? changedFields(kept, entry) : changesFromJob(job, entry, scheduler);
  if (changes.length === 0) {
    if (isObject(kept)) return false;
    await scheduler.modifyJob(job.id, { origin: { ...job.origin, [ORIGIN_KEY]: entry } }, job.jobstore);
    logger.info(`jobstore: job ${JSON.stringify(job.id)} matches its JOBS entry; its entry is now kept with it, so later changes to the file are found`);
    return true;
  }
  const modification: Record<string, unknown> = { origin: { ...job.origin, [ORIGIN_KEY]: entry } };
  let schedule = false;
  for (const { field } of changes) {
    const option = JOB_FIELDS[field];
    if (option !== undefined) modification[option] = entry[field];
    else schedule = true;
  }
  let outcome = 'its schedule is unchanged';
  if (schedule) {
    const trigger = buildTrigger(entry, scheduler);
    const nextRunTime =
      job.nextRunTime === null
        ? null
        : typeof entry['next_run_time'] === 'string'
          ? new Date(entry['next_run_time'])
          : entry['next_run_time'] === null
            ? null
            : trigger.getNextFireTime(null, scheduler.now());
    modification['trigger'] = trigger;
    modification['nextRunTime'] = nextRunTime;
    outcome =
      job.nextRunTime === null
        ? 'it has the new trigger and stays paused'
        : nextRunTime === null
          ? 'its new schedule never fires, so it is paused'
          : `its next run time is now ${nextRunTime.toISOString()}`;
  }
  await scheduler.modifyJob(job.id, modification as JobModification, job.jobstore);
  const what = isObject(kept) ? `JOBS entry ${JSON.stringify(job.id)} changed` : `job ${JSON.stringify(job.id)} differs from its JOBS entry`;
  logger.info(`jobstore: ${what} (${changes.map(describeChange).join('; ')}); the job is updated from the file and ${outcome}`);
  return true;
}

/** The entry as the job it makes: every default the scheduler would apply, filled in, keys in order. */
function normalize(body: ConfigJob, scheduler: Scheduler): DataObject {
  const { replace_existing: _replace, ...given } = body;
  const defaults = scheduler.jobDefaults;
  const entry: Record<string, unknown> = {
    ...given,
    name: given.name ?? given.func,
    args: given.args ?? [],
    kwargs: given.kwargs ?? {},
    executor: given.executor ?? 'default',
    jobstore: given.jobstore ?? 'default',
    misfire_grace_time: given.misfire_grace_time !== undefined ? given.misfire_grace_time : defaults.misfireGraceTime,
    coalesce: given.coalesce ?? defaults.coalesce,
    max_instances: given.max_instances ?? defaults.maxInstances,
    trigger: given.trigger ?? 'date',
    timezone: given.timezone ?? scheduler.timezone,
  };
  return Object.fromEntries(
    Object.keys(entry)
      .sort()
      .map((key) => [key, entry[key]]),
  ) as DataObject;
}

/**
 * The entries by job, each with an id: an entry without one takes its func (`<func>#2`, `#3`, …
 * for more of the same func), so it is the same job at every start. Two entries with one id:
 * the last wins, as when each replaced the one before.
 */
function withIds(entries: readonly ConfigJob[], logger: ServiceLogger): Map<string, ConfigJob> {
  const taken = new Set(entries.flatMap((entry) => (entry.id === undefined ? [] : [jobKey(entry.jobstore ?? 'default', entry.id)])));
  const byJob = new Map<string, ConfigJob>();
  const repeated = new Set<string>();
  for (const entry of entries) {
    let id = entry.id;
    if (id === undefined) {
      id = entry.func;
      for (let n = 2; taken.has(jobKey(entry.jobstore ?? 'default', id)); n++) id = `${entry.func}#${n}`;
      taken.add(jobKey(entry.jobstore ?? 'default', id));
    }
    const key = jobKey(entry.jobstore ?? 'default', id);
    if (byJob.has(key)) repeated.add(id);
    byJob.delete(key);
    byJob.set(key, { ...entry, id });
  }
  if (repeated.size > 0) logger.warn(`jobstore: JOBS has more than one entry for ${list([...repeated])}; the last one of each is used`);
  return byJob;
}

/** The fields whose values differ between two normalized entries. */
function changedFields(before: DataObject, after: DataObject): Change[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !IDENTITY.has(field)).sort();
  return fields.filter((field) => stable(before[field]) !== stable(after[field])).map((field) => ({ field, before: before[field], after: after[field] }));
}

/** For a job kept without its entry: where the job differs from what the entry makes (dates the entry leaves to "now" are not compared). */
function changesFromJob(job: Job, entry: DataObject, scheduler: Scheduler): Change[] {
  const current: Record<string, unknown> = {
    func: job.task,
    name: job.name,
    args: job.args,
    kwargs: job.kwargs,
    executor: job.executor,
    misfire_grace_time: job.misfireGraceTime,
    coalesce: job.coalesce,
    max_instances: job.maxInstances,
  };
  const changes: Change[] = Object.keys(JOB_FIELDS)
    .filter((field) => stable(current[field]) !== stable(entry[field]))
    .map((field) => ({ field, before: current[field], after: entry[field] }));
  const made = buildTrigger(entry, scheduler);
  const stored = job.trigger.toJSON();
  if (stable(stored) !== stable(withStoredDefaults(made.toJSON(), stored, entry))) changes.push({ field: 'trigger', before: job.trigger.toString(), after: made.toString() });
  return changes;
}

/** `made` with the dates the entry left out (an interval's start, a date job's run date) taken from the stored trigger. */
function withStoredDefaults(made: TriggerJSON, stored: TriggerJSON, entry: DataObject): TriggerJSON {
  if ((made.type === 'interval' && stored.type === 'interval') || (made.type === 'calendarInterval' && stored.type === 'calendarInterval')) {
    return entry['start_date'] === undefined ? { ...made, startDate: stored.startDate } : made;
  }
  if (made.type === 'date' && stored.type === 'date' && entry['run_date'] === undefined) return { ...made, runDate: stored.runDate };
  return made;
}

/** The entry's trigger, as POST /jobs makes it (a date trigger without run_date runs now). */
function buildTrigger(entry: DataObject, scheduler: Scheduler): Trigger {
  return scheduler.makeTrigger(entry['trigger'] as TriggerType, triggerOptions(entry));
}

function describeChange({ field, before, after }: Change): string {
  return `${field}: ${show(before)} → ${show(after)}`;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? JSON.stringify(value) : stable(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** JSON with object keys in order, for comparing. */
function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) =>
      isObject(inner)
        ? Object.fromEntries(
            Object.keys(inner)
              .sort()
              .map((key) => [key, inner[key]]),
          )
        : inner,
    ) ?? 'undefined'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const jobKey = (jobstore: string, id: string): string => `${jobstore}\u0000${id}`;

const list = (ids: readonly string[]): string => ids.map((id) => JSON.stringify(id)).join(', ');
