import { MAX_ID_LENGTH } from '@jobstore/core';
import {
  camelCase,
  snakeCase,
  TRIGGER_OPTION_NAMES,
  TRIGGER_TYPES,
  type AddJobOptions,
  type JobModification,
  type JobOptionName,
  type ModifiableJobOptionName,
  type SnakeCase,
  type TriggerOptionName,
  type TriggerOptions,
  type TriggerType,
} from '@jobstore/scheduler';
import { z } from 'zod';
import { jsonProblem, type JsonValue } from './json-value.js';

/** A request the API refuses: which field, and why. Answered with 400. */
export class BadRequestError extends Error {
  constructor(
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(field === null ? reason : `${field}: ${reason}`);
    this.name = 'BadRequestError';
  }
}

const cronField = z.union([z.string().min(1).max(256), z.number().int()]);
const instant = z.string().min(1).max(64);

/** The most jitter a job may have: a day. More moves runs by days (1e308 moved one to 9999-12-31). */
export const MAX_JITTER_SECONDS = 86_400;

/**
 * A JSON field, kept as given: zod's z.json() and z.record() build new objects, which drops an
 * own `__proto__` key (assigning it sets the prototype), and recurse. Too deep is reported at the
 * field (`args`) or the keyword argument (`kwargs.x`), anything else where it is.
 */
function jsonField<T extends JsonValue>(expected: 'array' | 'object', shape: string, isShape: (value: unknown) => boolean, deepAt: number) {
  return z.custom<T>().superRefine((value, ctx) => {
    if (!isShape(value)) {
      ctx.addIssue({ code: 'invalid_type', expected, input: value, message: `must be ${shape}` });
      return;
    }
    const problem = jsonProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem.reason, path: problem.deep ? problem.path.slice(0, deepAt) : problem.path });
  });
}
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Trigger fields, as Flask-APScheduler names them: every trigger option of the scheduler's job specification. */
const triggerFields = {
  run_date: instant,
  weeks: z.number().nonnegative(),
  days: z.number().nonnegative(),
  hours: z.number().nonnegative(),
  minutes: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  years: z.number().int().nonnegative(),
  months: z.number().int().nonnegative(),
  year: cronField,
  month: cronField,
  day: cronField,
  week: cronField,
  day_of_week: cronField,
  hour: cronField,
  minute: cronField,
  second: cronField,
  start_date: instant,
  end_date: instant,
  timezone: z.string().min(1).max(64),
  jitter: z
    .number()
    .nonnegative()
    .max(MAX_JITTER_SECONDS, { error: `must be at most ${MAX_JITTER_SECONDS} seconds (one day)` })
    .nullable(),
} satisfies Record<SnakeCase<TriggerOptionName>, z.ZodType>;

/** A job's options the API takes: the job specification's, but for origin, which only code and the service's JOBS set. */
type ApiJobOption = SnakeCase<Exclude<JobOptionName, 'origin'>>;

const jobFields = {
  func: z.string().min(1).max(512),
  name: z.string().max(512),
  args: jsonField<JsonValue[]>('array', 'a list of JSON values', Array.isArray, 0),
  kwargs: jsonField<{ [key: string]: JsonValue }>('object', 'an object', isObject, 1),
  executor: z.string().min(1).max(128),
  misfire_grace_time: z.number().positive().nullable(),
  coalesce: z.boolean(),
  max_instances: z.number().int().positive(),
  next_run_time: instant.nullable(),
  trigger: z.enum(TRIGGER_TYPES),
} satisfies Record<SnakeCase<Exclude<ModifiableJobOptionName, 'origin'>>, z.ZodType>;

/**
 * Ids a URL cannot name: `.` and `..` are dot segments, which URL parsing resolves (also when
 * percent-encoded as `%2e`) before any handler sees the path, so `/jobs/..` is `/` and the job
 * could never be read, changed or removed through the API.
 */
export const UNADDRESSABLE_IDS: readonly string[] = ['.', '..'];
const DOT_ID_REASON = 'cannot be "." or "..": URLs resolve those path segments (even percent-encoded), so /jobs/:id could never name the job';

const newJobFields = {
  ...jobFields,
  id: z
    .string()
    .min(1)
    .max(MAX_ID_LENGTH)
    .refine((id) => !UNADDRESSABLE_IDS.includes(id), { error: DOT_ID_REASON }),
  jobstore: z.string().min(1).max(128),
  replace_existing: z.boolean(),
} satisfies Record<ApiJobOption, z.ZodType>;

/** POST /jobs: Flask-APScheduler's add_job body. */
export const newJobSchema = z
  .strictObject({ ...newJobFields, ...triggerFields })
  .partial()
  .required({ func: true });

/** PATCH /jobs/:id: any job field; trigger fields only with `trigger`, which replaces the trigger. */
export const jobChangesSchema = z.strictObject({ ...jobFields, ...triggerFields }).partial();

/** The body's names of the trigger options (`run_date`), in the job specification's order. */
const TRIGGER_KEYS: readonly string[] = TRIGGER_OPTION_NAMES.map(snakeCase);

/** Validates `body` (snake_case as Flask-APScheduler sends it, or camelCase) or throws BadRequestError naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestError(null, 'the body must be a JSON object');
  const normalized = Object.fromEntries(Object.entries(body).map(([key, value]) => [snakeCase(key), value]));
  const result = schema.safeParse(normalized);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  throw new BadRequestError(unknownKey ?? (path === '' ? null : path), unknownKey !== undefined ? 'is not a field of a job' : (issue?.message ?? 'is not valid'));
}

function date(value: string | null | undefined, field: string): Date | null | undefined {
  if (value === null || value === undefined) return value;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new BadRequestError(field, `${JSON.stringify(value)} is not an ISO 8601 date`);
  return parsed;
}

/** The trigger's options from a parsed body, camelCased for the scheduler. */
export function triggerOptions(body: Record<string, unknown>): TriggerOptions {
  const options: Record<string, unknown> = {};
  for (const key of TRIGGER_KEYS) if (body[key] !== undefined) options[camelCase(key)] = body[key];
  return options as TriggerOptions;
}

/** The body field a trigger's option came from (`runDate` → `run_date`), else `trigger` for the trigger as a whole. */
export function triggerField(option: string): string {
  const key = snakeCase(option);
  return TRIGGER_KEYS.includes(key) ? key : 'trigger';
}

export function hasTriggerFields(body: Record<string, unknown>): boolean {
  return TRIGGER_KEYS.some((key) => body[key] !== undefined);
}

type NewJob = z.infer<typeof newJobSchema>;
type JobChanges = z.infer<typeof jobChangesSchema>;

/** scheduler.addJob's options from a POST /jobs body. */
export function addJobOptions(body: NewJob): AddJobOptions {
  const options: Record<string, unknown> = { ...triggerOptions(body), func: body.func };
  const copy = {
    id: body.id,
    name: body.name,
    args: body.args,
    kwargs: body.kwargs,
    jobstore: body.jobstore,
    executor: body.executor,
    trigger: body.trigger,
    replaceExisting: body.replace_existing,
    misfireGraceTime: body.misfire_grace_time,
    coalesce: body.coalesce,
    maxInstances: body.max_instances,
    nextRunTime: date(body.next_run_time, 'next_run_time'),
  };
  for (const [key, value] of Object.entries(copy)) if (value !== undefined) options[key] = value;
  return options as unknown as AddJobOptions;
}

/** What PATCH /jobs/:id changes: job fields, and the type and options of a new trigger (which replaces the whole trigger). */
export function jobChanges(body: JobChanges): { modification: JobModification; trigger: { type: TriggerType; options: TriggerOptions } | null } {
  if (body.trigger === undefined && hasTriggerFields(body)) throw new BadRequestError('trigger', 'give the trigger type with its fields: they replace the whole trigger');
  const modification: Record<string, unknown> = {};
  const copy = {
    func: body.func,
    name: body.name,
    args: body.args,
    kwargs: body.kwargs,
    executor: body.executor,
    misfireGraceTime: body.misfire_grace_time,
    coalesce: body.coalesce,
    maxInstances: body.max_instances,
    nextRunTime: date(body.next_run_time, 'next_run_time'),
  };
  for (const [key, value] of Object.entries(copy)) if (value !== undefined) modification[key] = value;
  return { modification: modification as JobModification, trigger: body.trigger === undefined ? null : { type: body.trigger, options: triggerOptions(body) } };
}
