import { InvalidArgumentError } from '@jobstore/core';
import { loadConfig, schedulerOptions } from '@jobstore/http';
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
    ['an unknown setting', { SCHEDULER_JOBSTORE: {} }, /SCHEDULER_JOBSTORE: is not a setting/],
    ['a store without a type', { SCHEDULER_JOBSTORES: { default: { url: 'x' } } }, /SCHEDULER_JOBSTORES\.default\.type/],
    ['an executor of no known type', { SCHEDULER_EXECUTORS: { default: { type: 'gevent' } } }, /SCHEDULER_EXECUTORS\.default\.type/],
    ['a port out of range', { PORT: 70000 }, /PORT/],
    ['a short bearer token', { SCHEDULER_AUTH: { type: 'bearer', token: 'short' } }, /SCHEDULER_AUTH\.token/],
    ['an auth type of no kind', { SCHEDULER_AUTH: { type: 'oauth' } }, /SCHEDULER_AUTH/],
    ['a job default of the wrong type', { SCHEDULER_JOB_DEFAULTS: { coalesce: 'yes' } }, /SCHEDULER_JOB_DEFAULTS\.coalesce/],
    ['a job with a field no job has', { JOBS: [{ func: 'tasks:a', colour: 'red' }] }, /JOBS\[0\]: colour: is not a field of a job/],
    ['a job without func', { JOBS: [{ id: 'a' }, { id: 'b', trigger: 'date' }] }, /JOBS\[0\]: func/],
  ])('refuses %s with InvalidArgumentError naming the key', (_, source, message) => {
    expect(() => loadConfig(source, {})).toThrow(InvalidArgumentError);
    expect(() => loadConfig(source, {})).toThrow(message);
  });

  it('refuses a bad value that came from the environment, naming the variable', () => {
    expect(() => loadConfig({}, { PORT: 'eighty' })).toThrow(/jobstore config: PORT/);
  });
});
