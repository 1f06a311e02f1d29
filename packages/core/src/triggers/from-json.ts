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

type Kind = 'string' | 'string?' | 'number' | 'number?' | 'boolean' | 'object' | 'array';

/** Every key of each JSON form, and what its value must be (`?`: or null). toJSON writes them all. */
const SHAPES: Readonly<Record<TriggerJSON['type'], Readonly<Record<string, Kind>>>> = {
  date: { runDate: 'string', timezone: 'string' },
  interval: { weeks: 'number', days: 'number', hours: 'number', minutes: 'number', seconds: 'number', startDate: 'string', endDate: 'string?', timezone: 'string', jitter: 'number?' },
  cron: { fields: 'object', crontab: 'boolean', startDate: 'string?', endDate: 'string?', timezone: 'string', jitter: 'number?' },
  calendarInterval: {
    years: 'number',
    months: 'number',
    weeks: 'number',
    days: 'number',
    hour: 'number',
    minute: 'number',
    second: 'number',
    startDate: 'string',
    endDate: 'string?',
    timezone: 'string',
  },
  and: { triggers: 'array', threshold: 'number', maxIterations: 'number' },
  or: { triggers: 'array' },
};

const DESCRIPTIONS: Readonly<Record<Kind, string>> = {
  string: 'a string',
  'string?': 'a string or null',
  number: 'a number',
  'number?': 'a number or null',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function fits(value: unknown, kind: Kind): boolean {
  if (kind.endsWith('?') && value === null) return true;
  switch (kind.replace('?', '')) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === kind.replace('?', '');
  }
}

/**
 * Rebuilds a trigger from its JSON form (what toJSON wrote, as a store kept it). Anything else —
 * a missing, extra or mistyped key, an invalid expression, zone or date — gets InvalidTriggerError
 * naming the field. Nothing in the JSON is evaluated.
 */
export function triggerFromJSON(json: unknown): Trigger {
  return fromJSON(json, 0);
}

function fromJSON(json: unknown, depth: number): Trigger {
  if (!fits(json, 'object')) throw new InvalidTriggerError('stored', 'trigger', json, 'is not a trigger JSON object');
  const o = json as Record<string, unknown>;
  // Own keys only, here and below: a name looked up in an object must not find Object.prototype's members.
  const type = Object.hasOwn(o, 'type') ? o['type'] : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) {
    throw new InvalidTriggerError('stored', 'type', type, `is not a trigger type (${Object.keys(SHAPES).join(', ')})`);
  }
  const shape = SHAPES[type as TriggerJSON['type']];
  for (const key of Object.keys(o)) if (key !== 'type' && !Object.hasOwn(shape, key)) throw new InvalidTriggerError(type, key, o[key], 'is not a field of this trigger type');
  const given: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(shape)) {
    if (!Object.hasOwn(o, key)) throw new InvalidTriggerError(type, key, undefined, 'is missing');
    if (!fits(o[key], kind)) throw new InvalidTriggerError(type, key, o[key], `must be ${DESCRIPTIONS[kind]}`);
    if (o[key] !== null) given[key] = o[key];
  }

  switch (type as TriggerJSON['type']) {
    case 'date':
      return new DateTrigger(given as never);
    case 'interval':
      return new IntervalTrigger(given);
    case 'calendarInterval':
      return new CalendarIntervalTrigger(given);
    case 'cron':
      return cronFromJSON(given);
    case 'and':
    case 'or': {
      if (depth >= MAX_NESTING) throw new InvalidTriggerError(type, 'triggers', '[…]', `nest deeper than ${MAX_NESTING} levels`);
      const { triggers, ...options } = given;
      const children = (triggers as unknown[]).map((child) => fromJSON(child, depth + 1));
      return type === 'and' ? new AndTrigger(children, options) : new OrTrigger(children);
    }
  }
}

function cronFromJSON(given: Record<string, unknown>): CronTrigger {
  const { fields, crontab, ...options } = given;
  const expressions = fields as Record<string, unknown>;
  for (const field of FIELDS)
    if (!Object.hasOwn(expressions, field) || typeof expressions[field] !== 'string') throw new InvalidTriggerError('cron', field, expressions[field], 'must be a string expression');
  for (const key of Object.keys(expressions)) if (!(FIELDS as readonly string[]).includes(key)) throw new InvalidTriggerError('cron', key, expressions[key], 'is not a cron field');
  const f = expressions as Record<(typeof FIELDS)[number], string>;
  if (crontab !== true) return new CronTrigger({ ...f, ...options });
  const trigger = CronTrigger.fromCrontab(`${f.minute} ${f.hour} ${f.day} ${f.month} ${f.dayOfWeek}`, options);
  // A crontab trigger has five fields of its own; the others are fixed.
  for (const field of FIELDS) if (trigger.fields[field] !== f[field]) throw new InvalidTriggerError('cron', field, f[field], 'does not fit a crontab trigger');
  return trigger;
}
