import { describeValue, InvalidArgumentError, InvalidTriggerError } from '@jobstore/core';
import { snakeCase, triggerFromOptions, TRIGGER_TYPES, type JobOptionName, type SnakeCase, type TriggerOptionName } from '@jobstore/scheduler';
import { addJobOptions, BadRequestError, MAX_JITTER_SECONDS, newJobSchema, triggerField, triggerOptions } from '../schemas.js';
import { firstIssue, issueReason, unknownKeys } from './issues.js';

const cron = 'a cron expression (a string, or an integer)';
const nonNegative = 'a number, 0 or more';
const instant = 'an ISO 8601 date-time string, like "2030-01-01T09:00:00Z"';

/** What each job field must be, for "must be …" messages: every option of the job specification the config takes. */
const JOB_FIELD_EXPECTED: Readonly<Record<string, string>> = {
  id: 'a non-empty string',
  func: 'a task name, like "./tasks.mjs:report"',
  name: 'a string',
  args: 'a list of JSON values',
  kwargs: 'an object',
  executor: 'an executor alias, like "default"',
  jobstore: 'a store alias, like "default"',
  replace_existing: 'true or false',
  misfire_grace_time: 'a number of seconds greater than 0, or null',
  coalesce: 'true or false',
  max_instances: 'a positive integer',
  next_run_time: `${instant}, or null`,
  trigger: `${TRIGGER_TYPES.slice(0, -1)
    .map((type) => JSON.stringify(type))
    .join(', ')} or ${JSON.stringify(TRIGGER_TYPES.at(-1))}`,
  run_date: instant,
  start_date: instant,
  end_date: instant,
  weeks: nonNegative,
  days: nonNegative,
  hours: nonNegative,
  minutes: nonNegative,
  seconds: nonNegative,
  years: 'an integer, 0 or more',
  months: 'an integer, 0 or more',
  year: cron,
  month: cron,
  day: cron,
  week: cron,
  day_of_week: cron,
  hour: cron,
  minute: cron,
  second: cron,
  timezone: 'an IANA time zone name, like "Europe/Berlin"',
  jitter: `a number of seconds greater than 0, at most ${MAX_JITTER_SECONDS} (one day), or null`,
} satisfies Record<SnakeCase<Exclude<JobOptionName, 'origin'> | TriggerOptionName>, string>;

const JOB_FIELDS = Object.keys(JOB_FIELD_EXPECTED);

/**
 * Checks one of the config's JOBS as the service will create it: its fields (as POST /jobs
 * takes them) and its trigger, built once here so a bad cron field is reported before start.
 * Returns why it is refused, as `minute: 75 is outside 0-59`, or undefined.
 */
export function jobProblem(job: Readonly<Record<string, unknown>>, timezone: string | undefined): string | undefined {
  const body = Object.fromEntries(Object.entries(job).map(([key, value]) => [snakeCase(key), value]));
  const parsed = newJobSchema.safeParse(body);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error.issues);
    if (issue === undefined) return 'is not a valid job';
    if (issue.code === 'unrecognized_keys') {
      const unknown = unknownKeys(issue.keys, JOB_FIELDS, { one: 'is not a field of a job', many: 'are not fields of a job' });
      return `${unknown.keys}: ${unknown.reason}`;
    }
    // A check of its own (too deep, not JSON, a dot id) says more than what the field must be.
    const reason = issue.code === 'custom' ? issue.message : issueReason(issue, body, (pattern) => JOB_FIELD_EXPECTED[pattern]);
    return `${issue.path.map(String).join('.')}: ${reason}`;
  }
  try {
    addJobOptions(parsed.data);
    triggerFromOptions(parsed.data.trigger ?? 'date', triggerOptions(parsed.data), { timezone });
  } catch (error) {
    if (error instanceof InvalidTriggerError) return `${triggerField(error.field)}: ${triggerReason(error)}`;
    if (error instanceof BadRequestError || error instanceof InvalidArgumentError) return error.message;
    throw error;
  }
  return undefined;
}

/**
 * The reason of a trigger's error without its preamble: `cron trigger: invalid minute "75": 75
 * is outside 0-59` says `75 is outside 0-59` after the field; the value stays where the reason
 * does not show it.
 */
function triggerReason(error: InvalidTriggerError): string {
  const value = describeValue(error.value);
  const preamble = `invalid ${error.field} ${value}: `;
  const at = error.message.indexOf(preamble);
  if (at === -1) return error.message;
  const reason = error.message.slice(at + preamble.length);
  if (/^(must|expected) /.test(reason)) return `${reason}, got ${value}`;
  if (reason.startsWith('is ')) return `${value} ${reason}`;
  const raw = typeof error.value === 'string' || typeof error.value === 'number' ? String(error.value) : value;
  return reason.includes(raw) ? reason : `${value}: ${reason}`;
}
