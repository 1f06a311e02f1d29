import type { IANAZone } from 'luxon';
import { InvalidTriggerError } from '../../errors.js';
import { MAX_TIME } from '../../validate.js';
import { absent, checkInstant, checkJitter, checkKeys, checkOrder, checkTimes, checkZone, keepOptions, withJitter } from '../options.js';
import type { CronTriggerJSON, Trigger } from '../trigger.js';
import { nextFireInstant } from '../dst.js';
import { splitCrontab } from './crontab.js';
import { DEFAULTS, FIELDS, type FieldName } from './fields.js';
import { CronMatcher } from './matcher.js';

/** Options of {@link CronTrigger}: each field an expression (a string, or a number for one value). */
export interface CronTriggerOptions {
  /** 4-digit year, 1970-9999. */
  readonly year?: string | number;
  /** 1-12, or jan..dec. */
  readonly month?: string | number;
  /** 1-31; also `last` (the month's last day) and `xth weekday` (`2nd fri`, `last sun`). */
  readonly day?: string | number;
  /** ISO week number, 1-53. */
  readonly week?: string | number;
  /** 0 = Monday .. 6 = Sunday, or mon..sun (APScheduler's numbering, not crontab's). */
  readonly dayOfWeek?: string | number;
  readonly hour?: string | number;
  readonly minute?: string | number;
  readonly second?: string | number;
  /** No fire time before this (inclusive). A string without an offset is a wall time in `timezone`. */
  readonly startDate?: Date | string;
  /** No fire time after this (inclusive). */
  readonly endDate?: Date | string;
  /**
   * IANA zone whose wall clock the fields are matched against. Default: the process's local zone
   * (which follows `TZ`), or the scheduler's zone when the trigger is given to a scheduler that has one.
   */
  readonly timezone?: string;
  /**
   * Up to this many seconds of random delay added to each fire time. A delayed time past endDate
   * fires at endDate instead, as APScheduler 3.11's CronTrigger does (an interval trigger instead
   * ends there); nothing fires after 9999-12-31.
   */
  readonly jitter?: number | null;
}

/** Options of {@link CronTrigger.fromCrontab}: everything but the fields. */
export type CrontabOptions = Pick<CronTriggerOptions, 'startDate' | 'endDate' | 'timezone' | 'jitter'>;

/** Marks the options fromCrontab builds; a symbol, so no caller can pass it by accident. */
const CRONTAB = Symbol('crontab');

/**
 * Fires when the wall clock in `timezone` matches every field (APScheduler 3's CronTrigger).
 * Fields smaller than the least significant field given default to their minimum, larger ones
 * (and week and dayOfWeek) to `*`: `new CronTrigger({ hour: 3 })` fires at 03:00:00 every day,
 * and `new CronTrigger()` every second.
 *
 * DST (one rule for cron and calendar-interval triggers): a matching wall time that does not exist
 * (spring forward) fires moved forward by the gap's length, that same day (02:30 on a New York
 * spring-forward day fires at 03:30 EDT). One that occurs twice (fall back) fires at its first
 * occurrence when the hour field names particular hours; when it allows every hour (`*`, `*\/1`,
 * `0-23`) the trigger follows the clock and fires in both occurrences (hourly at minute 0 fires
 * at 01:00 EDT and 01:00 EST). A moved time that coincides with a real one fires once, and fire
 * times always increase. The search is bounded: an expression that can never match again
 * (`{ month: 'feb', day: 31 }`) gives null.
 */
export class CronTrigger implements Trigger {
  /** Every field's expression as given, with the defaults omitted fields took. */
  readonly fields: Readonly<Record<FieldName, string>>;
  /** Made by fromCrontab: the fields have crontab's meaning. */
  readonly crontab: boolean;
  readonly startDate: Date | null;
  readonly endDate: Date | null;
  readonly timezone: string;
  readonly jitter: number | null;
  readonly #zone: IANAZone;
  readonly #matcher: CronMatcher;
  /** The options, to be made again in another zone; null when the zone was given. */
  readonly #options: CronTriggerOptions | null;

  constructor(options: CronTriggerOptions = {}) {
    const o = checkKeys(options, [...FIELDS, 'startDate', 'endDate', 'timezone', 'jitter'], 'cron');
    this.crontab = (options as { [CRONTAB]?: boolean })[CRONTAB] === true;
    this.fields = Object.freeze(resolveFields(o));
    const { name, zone } = checkZone(o['timezone'], 'cron');
    this.timezone = name;
    this.#zone = zone;
    const start = absent(o['startDate']) ? null : checkInstant(o['startDate'], zone, 'cron', 'startDate');
    const end = absent(o['endDate']) ? null : checkInstant(o['endDate'], zone, 'cron', 'endDate');
    checkOrder(start, end, 'cron', o['endDate']);
    this.startDate = start === null ? null : new Date(start);
    this.endDate = end === null ? null : new Date(end);
    this.jitter = checkJitter(o['jitter'], 'cron');
    this.#matcher = new CronMatcher(this.fields, this.crontab);
    this.#options = absent(o['timezone']) ? keepOptions(options, {}) : null;
  }

  /**
   * A trigger from a standard 5-field crontab line, `minute hour day month weekday`, or a macro
   * (`@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`), read with crontab's meaning, at second 0:
   *
   * - weekday 0 and 7 are Sunday, 1 is Monday (names sun..sat work too);
   * - when day and weekday are both restricted (neither starts with `*`), a day matches if
   *   EITHER does: `0 9 13 * fri` fires on the 13th and on every Friday (Vixie cron's rule).
   *
   * APScheduler 3's `from_crontab` gets both wrong: it reads weekday numbers as its own (0 = Monday,
   * so `* * * * 1-5` means Tuesday to Saturday there) and requires both day fields to match.
   * The other fields take APScheduler's expression language, checked the same way.
   */
  static fromCrontab(expression: string, options: CrontabOptions = {}): CronTrigger {
    const fields = splitCrontab(expression);
    const rest = checkKeys(options, ['startDate', 'endDate', 'timezone', 'jitter'], 'cron');
    return new CronTrigger({ ...rest, ...fields, second: '0', [CRONTAB]: true } as CronTriggerOptions);
  }

  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = checkTimes(previousFireTime, now);
    const from = Math.max(times.previous === null ? times.now : times.previous + 1, this.startDate?.getTime() ?? Number.NEGATIVE_INFINITY);
    const end = Math.min(this.endDate?.getTime() ?? MAX_TIME, MAX_TIME);
    if (from > end) return null;
    const instant = nextFireInstant(this.#matcher, this.#zone, from);
    if (instant === null || instant > end) return null;
    // APScheduler 3.11: a jittered time past endDate fires at endDate.
    return new Date(Math.min(withJitter(instant, this.jitter), end));
  }

  /** See {@link Trigger.withDefaultTimezone}: the same fields (and crontab meaning) in `timezone`. */
  withDefaultTimezone(timezone: string): CronTrigger {
    return this.#options === null ? this : new CronTrigger({ ...this.#options, timezone });
  }

  toJSON(): CronTriggerJSON {
    return {
      type: 'cron',
      fields: { ...this.fields },
      crontab: this.crontab,
      startDate: this.startDate?.toISOString() ?? null,
      endDate: this.endDate?.toISOString() ?? null,
      timezone: this.timezone,
      jitter: this.jitter,
    };
  }

  /** `cron[hour='3', minute='0', second='0']` (the fields that are not `*`), or `cron[crontab='0 9 * * 1-5']`. */
  toString(): string {
    const { minute, hour, day, month, dayOfWeek } = this.fields;
    if (this.crontab) return `cron[crontab='${minute} ${hour} ${day} ${month} ${dayOfWeek}']`;
    return `cron[${FIELDS.filter((field) => this.fields[field] !== '*')
      .map((field) => `${field}='${this.fields[field]}'`)
      .join(', ')}]`;
  }
}

/** APScheduler's defaults: `*` above the least significant field given, minimums below it. */
function resolveFields(options: Record<string, unknown>): Record<FieldName, string> {
  const given = FIELDS.filter((field) => !absent(options[field]));
  const least = given.length === 0 ? -1 : FIELDS.indexOf(given[given.length - 1] as FieldName);
  const fields = {} as Record<FieldName, string>;
  FIELDS.forEach((field, i) => {
    const value = options[field];
    if (absent(value)) fields[field] = least >= 0 && i > least ? DEFAULTS[field] : '*';
    else if (typeof value === 'string' || typeof value === 'number') fields[field] = String(value).trim();
    else throw new InvalidTriggerError('cron', field, value, 'must be a string or a number');
  });
  return fields;
}
