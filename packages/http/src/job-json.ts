import type { TriggerJSON } from '@jobstore/core';
import type { JobFields } from '@jobstore/scheduler';

/**
 * A job's state as the API shows it: `scheduled`, `paused` (no next run time), or `unrunnable`:
 * this process cannot run it (its task is not registered here, its executor is missing), which
 * `state_reason` explains; `next_run_time` still tells whether it is paused.
 */
export type JobJsonState = 'scheduled' | 'paused' | 'unrunnable';

/** A job as the API shows it: Flask-APScheduler's `job_to_dict`, with jobstore's extra fields. */
export type JobJson = Record<string, unknown> & {
  readonly id: string;
  readonly name: string;
  readonly func: string;
  readonly trigger: string;
  readonly next_run_time: string | null;
  readonly state: JobJsonState;
  /** Only with `state: 'unrunnable'`: why, and what to do. */
  readonly state_reason?: string;
};

const CRON_FIELDS = [
  ['year', 'year'],
  ['month', 'month'],
  ['day', 'day'],
  ['week', 'week'],
  ['dayOfWeek', 'day_of_week'],
  ['hour', 'hour'],
  ['minute', 'minute'],
  ['second', 'second'],
] as const;

/** The trigger's fields as Flask-APScheduler writes them: its type, then what is not a default. */
export function triggerToDict(trigger: TriggerJSON): Record<string, unknown> {
  switch (trigger.type) {
    case 'date':
      return { trigger: 'date', run_date: trigger.runDate, timezone: trigger.timezone };
    case 'interval': {
      const out: Record<string, unknown> = { trigger: 'interval', start_date: trigger.startDate };
      if (trigger.endDate !== null) out['end_date'] = trigger.endDate;
      for (const unit of ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const) if (trigger[unit] > 0) out[unit] = trigger[unit];
      out['timezone'] = trigger.timezone;
      if (trigger.jitter !== null) out['jitter'] = trigger.jitter;
      return out;
    }
    case 'cron': {
      const out: Record<string, unknown> = { trigger: 'cron' };
      if (trigger.startDate !== null) out['start_date'] = trigger.startDate;
      if (trigger.endDate !== null) out['end_date'] = trigger.endDate;
      for (const [field, key] of CRON_FIELDS) if (trigger.fields[field] !== '*') out[key] = trigger.fields[field];
      out['timezone'] = trigger.timezone;
      if (trigger.jitter !== null) out['jitter'] = trigger.jitter;
      return out;
    }
    case 'calendarInterval': {
      const { type: _type, startDate, endDate, ...rest } = trigger;
      return { trigger: 'calendarInterval', start_date: startDate, ...(endDate !== null ? { end_date: endDate } : {}), ...rest };
    }
    default:
      // and / or: no flat form; the full description.
      return { trigger: trigger.type, triggers: trigger.triggers };
  }
}

export function jobToDict(job: JobFields): JobJson {
  const state: JobJsonState = job.unrunnable !== undefined ? 'unrunnable' : job.nextRunTime === null ? 'paused' : 'scheduled';
  return {
    id: job.id,
    name: job.name,
    func: job.task,
    args: job.args,
    kwargs: job.kwargs,
    ...triggerToDict(job.trigger.toJSON()),
    misfire_grace_time: job.misfireGraceTime,
    max_instances: job.maxInstances,
    coalesce: job.coalesce,
    executor: job.executor,
    jobstore: job.jobstore,
    next_run_time: job.nextRunTime === null ? null : job.nextRunTime.toISOString(),
    state,
    ...(job.unrunnable !== undefined ? { state_reason: job.unrunnable } : {}),
    description: job.trigger.toString(),
  } as unknown as JobJson;
}
