import { InvalidArgumentError } from '@jobstore/core';
import { environmentOverrides, loadConfig, schedulerOptions } from '@jobstore/http';
import { describe, expect, it } from 'vitest';

describe('loadConfig', () => {
  it('takes Flask-APScheduler keys from one object', () => {
    const config = loadConfig(
      {
        SCHEDULER_JOBSTORES: { default: { type: 'sql', url: 'sqlite:jobs.db' } },
        SCHEDULER_EXECUTORS: { default: { type: 'threadpool', maxWorkers: 4 } },
        SCHEDULER_JOB_DEFAULTS: { coalesce: false, max_instances: 3 },
        SCHEDULER_TIMEZONE: 'Europe/Berlin',
        SCHEDULER_API_PREFIX: '/jobs-api',
        JOBS: [{ id: 'a', func: 'tasks:a', trigger: 'interval', seconds: 5 }],
      },
      {},
    );
    expect(schedulerOptions(config)).toStrictEqual({
      jobstores: { default: { type: 'sql', url: 'sqlite:jobs.db' } },
      executors: { default: { type: 'threadpool', maxWorkers: 4 } },
      jobDefaults: { coalesce: false, maxInstances: 3 },
      timezone: 'Europe/Berlin',
    });
    expect(config.SCHEDULER_API_PREFIX).toBe('/jobs-api');
  });

  it('lets environment variables of the same names override it: JSON values, or plain strings', () => {
    const config = loadConfig(
      { SCHEDULER_TIMEZONE: 'UTC', PORT: 5000, SCHEDULER_API_ENABLED: true },
      { SCHEDULER_TIMEZONE: 'Asia/Tokyo', PORT: '8080', SCHEDULER_API_ENABLED: 'false', SCHEDULER_AUTH: '{"type":"bearer","token":"0123456789abcdef"}', UNRELATED: 'x', HOST: '' },
    );
    expect(config).toMatchObject({ SCHEDULER_TIMEZONE: 'Asia/Tokyo', PORT: 8080, SCHEDULER_API_ENABLED: false, SCHEDULER_AUTH: { type: 'bearer', token: '0123456789abcdef' } });
    // An empty variable is no override.
    expect(config.HOST).toBeUndefined();
  });

  it('takes job defaults in camelCase too', () => {
    const config = loadConfig({ SCHEDULER_JOB_DEFAULTS: { misfireGraceTime: 30, maxInstances: 2 } }, {});
    expect(schedulerOptions(config).jobDefaults).toStrictEqual({ misfireGraceTime: 30, maxInstances: 2 });
  });

  it.each([
    ['an unknown setting', { SCHEDULER_JOBSTORE: {} }, 'jobstore config: SCHEDULER_JOBSTORE: is not a setting (did you mean SCHEDULER_JOBSTORES?)'],
    ['several unknown settings', { JOB: [], TASK: [] }, 'jobstore config: JOB, TASK: are not settings'],
    ['a store without a type', { SCHEDULER_JOBSTORES: { default: { url: 'x' } } }, 'jobstore config: SCHEDULER_JOBSTORES.default.type: is required'],
    [
      'an executor of no known type',
      { SCHEDULER_EXECUTORS: { default: { type: 'gevent' } } },
      'jobstore config: SCHEDULER_EXECUTORS.default.type: must be one of "async", "debug", "threadpool" and "processpool", got "gevent"',
    ],
    ['a port out of range', { PORT: 70000 }, 'jobstore config: PORT: must be an integer from 0 to 65535, got 70000'],
    ['a short bearer token', { SCHEDULER_AUTH: { type: 'bearer', token: 'short' } }, 'jobstore config: SCHEDULER_AUTH.token: must be a string of at least 16 characters, got "short"'],
    ['an auth type of no kind', { SCHEDULER_AUTH: { type: 'oauth' } }, 'jobstore config: SCHEDULER_AUTH.type: must be "bearer", "basic" or "none", got "oauth"'],
    ['a misspelt auth field', { SCHEDULER_AUTH: { type: 'bearer', tokn: '0123456789abcdef' } }, 'jobstore config: SCHEDULER_AUTH.tokn: is not a known field'],
    ['a job default of the wrong type', { SCHEDULER_JOB_DEFAULTS: { coalesce: 'yes' } }, 'jobstore config: SCHEDULER_JOB_DEFAULTS.coalesce: must be true or false, got "yes"'],
    ['a misspelt job default', { SCHEDULER_JOB_DEFAULTS: { max_instance: 2 } }, 'jobstore config: SCHEDULER_JOB_DEFAULTS.max_instance: is not a known field (did you mean max_instances?)'],
    ['an unknown time zone', { SCHEDULER_TIMEZONE: 'Mars/Olympus' }, 'jobstore config: SCHEDULER_TIMEZONE: must be an IANA time zone name, like "Europe/Berlin" or "UTC", got "Mars/Olympus"'],
    ['a prefix the API cannot serve', { SCHEDULER_API_PREFIX: 'scheduler' }, 'jobstore config: SCHEDULER_API_PREFIX: must be a path like "/scheduler", or "" for the root, got "scheduler"'],
    ['a shutdown timeout of 0', { SCHEDULER_SHUTDOWN_TIMEOUT: 0 }, 'jobstore config: SCHEDULER_SHUTDOWN_TIMEOUT: must be a number of seconds greater than 0, got 0'],
    ['TASKS as one string', { TASKS: './tasks.mjs' }, 'jobstore config: TASKS: must be a list of module paths, like ["./tasks.mjs"], got "./tasks.mjs"'],
    ['a job that is not an object', { JOBS: ['nightly'] }, 'jobstore config: JOBS[0]: must be a job: an object, as POST <prefix>/jobs takes it, got "nightly"'],
    ['a job with a field no job has', { JOBS: [{ func: 'tasks:a', colour: 'red' }] }, 'jobstore config: JOBS[0]: colour: is not a field of a job'],
    ['a job without func', { JOBS: [{ id: 'a' }, { id: 'b', trigger: 'date' }] }, 'jobstore config: JOBS[0] "a": func: is required'],
    [
      'a cron field out of range',
      {
        JOBS: [
          { id: 'a', func: 'x:y' },
          { id: 'b', func: 'x:y' },
          { id: 'cleanup', func: 'x:y', trigger: 'cron', minute: '75' },
        ],
      },
      'jobstore config: JOBS[2] "cleanup": minute: 75 is outside 0-59',
    ],
    [
      'a cron expression it cannot read',
      { JOBS: [{ id: 'a', func: 'x:y', trigger: 'cron', day_of_week: 'mon-funday' }] },
      'jobstore config: JOBS[0] "a": day_of_week: "mon-funday": unknown weekday name "funday"',
    ],
    [
      'an interval of nothing',
      { JOBS: [{ id: 'a', func: 'x:y', trigger: 'interval' }] },
      'jobstore config: JOBS[0] "a": trigger: must be more than 0 seconds (give weeks, days, hours, minutes or seconds), got 0',
    ],
    ['a negative interval', { JOBS: [{ id: 'a', func: 'x:y', trigger: 'interval', seconds: -5 }] }, 'jobstore config: JOBS[0] "a": seconds: must be a number, 0 or more, got -5'],
    ['a trigger of no kind', { JOBS: [{ id: 'a', func: 'x:y', trigger: 'weekly' }] }, 'jobstore config: JOBS[0] "a": trigger: must be "date", "interval", "cron" or "calendarInterval", got "weekly"'],
    [
      'a job time zone that is not one',
      { JOBS: [{ id: 'a', func: 'x:y', trigger: 'cron', hour: 3, timezone: 'Mars/Olympus' }] },
      'jobstore config: JOBS[0] "a": timezone: "Mars/Olympus" is not an IANA time zone name (like "Europe/Berlin" or "UTC")',
    ],
    ['a next_run_time that is not a date', { JOBS: [{ id: 'a', func: 'x:y', next_run_time: 'soon' }] }, 'jobstore config: JOBS[0] "a": next_run_time: "soon" is not an ISO 8601 date'],
  ])('refuses %s with InvalidArgumentError naming the key and why', (_, source, message) => {
    expect(() => loadConfig(source, {})).toThrow(InvalidArgumentError);
    expect(() => loadConfig(source, {})).toThrow(new InvalidArgumentError(message));
  });

  it('names the source it was given (a file) in its errors', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, {}, { sourceName: 'conf/jobstore.json' })).toThrow(
      new InvalidArgumentError('conf/jobstore.json: PORT: must be an integer from 0 to 65535, got "eighty"'),
    );
  });

  it.each([
    ['PORT', 'abc', 'environment variable PORT: must be an integer from 0 to 65535, got "abc"'],
    ['PORT', '80.5', 'environment variable PORT: must be an integer from 0 to 65535, got 80.5'],
    ['HOST', '', undefined],
    ['SCHEDULER_API_ENABLED', 'yes', 'environment variable SCHEDULER_API_ENABLED: must be true or false, got "yes"'],
    ['SCHEDULER_TIMEZONE', 'Mars/Olympus', 'environment variable SCHEDULER_TIMEZONE: must be an IANA time zone name, like "Europe/Berlin" or "UTC", got "Mars/Olympus"'],
    ['SCHEDULER_SHUTDOWN_TIMEOUT', '-1', 'environment variable SCHEDULER_SHUTDOWN_TIMEOUT: must be a number of seconds greater than 0, got -1'],
    ['SCHEDULER_AUTH', '{"type": "bearer", "tokn": "0123456789abcdef"}', 'environment variable SCHEDULER_AUTH: tokn: is not a known field'],
    [
      'SCHEDULER_JOBSTORES',
      '{"default": {"type": "sql", "url": "sqlite:jobs.db"',
      'environment variable SCHEDULER_JOBSTORES: invalid JSON at line 1, column 52: unexpected end of the text; expected "," or "}"',
    ],
    ['TASKS', './tasks.mjs', 'environment variable TASKS: must be JSON: a list of module paths, like ["./tasks.mjs"]; got "./tasks.mjs"'],
    ['JOBS', '[{"id": "a", "func": "x:y"}, {"id": "cleanup", "func": "x:y", "trigger": "cron", "minute": 75}]', 'environment variable JOBS: [1] "cleanup": minute: 75 is outside 0-59'],
  ])('names the environment variable %s when its value (%j) is refused, though the file was fine', (key, value, message) => {
    const file = { PORT: 5000, HOST: '127.0.0.1', SCHEDULER_TIMEZONE: 'UTC', TASKS: [], JOBS: [] };
    if (message === undefined) expect(() => loadConfig(file, { [key]: value })).not.toThrow();
    else expect(() => loadConfig(file, { [key]: value }, { sourceName: 'jobstore.json' })).toThrow(new InvalidArgumentError(message));
  });

  it('reads the variables by kind: names as they are, numbers and true/false as such, the rest as JSON', () => {
    const config = loadConfig(
      {},
      { HOST: '::1', SCHEDULER_TIMEZONE: '"UTC"', SCHEDULER_API_PREFIX: '', PORT: ' 8080 ', SCHEDULER_SHUTDOWN_TIMEOUT: '2.5', SCHEDULER_API_ENABLED: 'true', TASKS: '["./a.mjs"]' },
    );
    expect(config).toStrictEqual({ HOST: '::1', SCHEDULER_TIMEZONE: 'UTC', PORT: 8080, SCHEDULER_SHUTDOWN_TIMEOUT: 2.5, SCHEDULER_API_ENABLED: true, TASKS: ['./a.mjs'] });
  });

  it('tells which settings the environment overrides, in the order of the keys', () => {
    expect(environmentOverrides({ PORT: '1', HOME: '/root', JOBS: '[]', HOST: '', SCHEDULER_AUTH: '{"type":"none"}' })).toStrictEqual(['SCHEDULER_AUTH', 'JOBS', 'PORT']);
  });
});
