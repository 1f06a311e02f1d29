import { InvalidTriggerError } from '../errors.js';
import { CalendarIntervalTrigger } from './calendar-interval-trigger.js';
import { AndTrigger, OrTrigger } from './combining-triggers.js';
import { CronTrigger } from './cron/cron-trigger.js';
import { FIELDS } from './cron/fields.js';
import { DateTrigger } from './date-trigger.js';
import { IntervalTrigger } from './interval-trigger.js';
import type { Trigger, TriggerJSON } from './trigger.js';

/** Nesting of and/or triggers a stored form may have. */
const MAX_NESTING = 16;

/**
 * Rebuilds a trigger from its JSON form (what toJSON wrote, as a store kept it). Anything that
 * is not such a form gets InvalidTriggerError naming the field; nothing is evaluated.
 */
export function triggerFromJSON(json: unknown, depth = 0): Trigger {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InvalidTriggerError('stored', 'trigger', json, 'is not a trigger JSON object');
  const o = json as Record<string, unknown> & Partial<TriggerJSON>;
  const only = (keys: readonly string[]): Record<string, unknown> => {
    for (const key of Object.keys(o)) if (key !== 'type' && !keys.includes(key)) throw new InvalidTriggerError(String(o.type), key, o[key], 'is not a field of this trigger type');
    const out: Record<string, unknown> = {};
    for (const key of keys) if (o[key] !== undefined && o[key] !== null) out[key] = o[key];
    return out;
  };
  switch (o.type) {
    case 'date':
      return new DateTrigger(only(['runDate', 'timezone']) as never);
    case 'interval':
      return new IntervalTrigger(only(['weeks', 'days', 'hours', 'minutes', 'seconds', 'startDate', 'endDate', 'timezone', 'jitter']));
    case 'calendarInterval':
      return new CalendarIntervalTrigger(only(['years', 'months', 'weeks', 'days', 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone']));
    case 'cron': {
      const { fields, crontab, ...rest } = only(['fields', 'crontab', 'startDate', 'endDate', 'timezone', 'jitter']);
      if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new InvalidTriggerError('cron', 'fields', fields, 'must be an object of field expressions');
      const given = fields as Record<string, unknown>;
      for (const key of Object.keys(given)) if (!(FIELDS as readonly string[]).includes(key)) throw new InvalidTriggerError('cron', key, given[key], 'is not a cron field');
      if (crontab !== undefined && typeof crontab !== 'boolean') throw new InvalidTriggerError('cron', 'crontab', crontab, 'must be a boolean');
      return new CronTrigger({ ...(given as Record<string, string>), ...rest }, crontab === true);
    }
    case 'and':
    case 'or': {
      if (depth >= MAX_NESTING) throw new InvalidTriggerError(o.type, 'triggers', '…', `nests deeper than ${MAX_NESTING} levels`);
      const { triggers, ...rest } = only(o.type === 'and' ? ['triggers', 'threshold', 'maxIterations'] : ['triggers']);
      if (!Array.isArray(triggers)) throw new InvalidTriggerError(o.type, 'triggers', triggers, 'must be an array');
      const children = triggers.map((child: unknown) => triggerFromJSON(child, depth + 1));
      return o.type === 'and' ? new AndTrigger(children, rest as { threshold?: number; maxIterations?: number }) : new OrTrigger(children);
    }
    default:
      throw new InvalidTriggerError('stored', 'type', o.type, 'is not a trigger type (date, interval, cron, calendarInterval, and, or)');
  }
}
