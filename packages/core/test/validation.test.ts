import { assertNamespace, InvalidArgumentError, JobLookupError, JobStoreError, LeaseLostError, MAX_TIME, NAMESPACE_PATTERN } from '@jobstore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('namespaces', () => {
  it('accepts identifiers and refuses anything that could escape a query, key or path', () => {
    for (const ok of ['jobs', 'J', 'app_1_jobs', `a${'b'.repeat(47)}`]) expect(() => assertNamespace(ok, 'test')).not.toThrow();
    for (const bad of ['', '_x', '9x', 'a-b', 'a.b', 'a/b', '..', 'a b', 'x;', `a${'b'.repeat(48)}`, 'é', 5, null]) {
      expect(() => assertNamespace(bad, 'test')).toThrow(InvalidArgumentError);
    }
  });

  it('every accepted namespace is plain ASCII letters, digits and underscores', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        if (NAMESPACE_PATTERN.test(text)) expect(text).toMatch(/^[A-Za-z0-9_]+$/);
        else expect(() => assertNamespace(text, 'test')).toThrow(InvalidArgumentError);
      }),
    );
  });
});

describe('errors', () => {
  it('are JobStoreErrors with their class name, store, job id and operation in the message', () => {
    const error = new JobLookupError('postgres:jobs', 'report:daily', 'updateJob');
    expect(error).toBeInstanceOf(JobStoreError);
    expect(error.name).toBe('JobLookupError');
    expect(String(error)).toBe('JobLookupError: no job "report:daily" in store "postgres:jobs" (updateJob)');
    expect([error.store, error.jobId]).toStrictEqual(['postgres:jobs', 'report:daily']);
    const lost = new LeaseLostError('memory:jobs', 'j', 'releaseJob', 'a', null);
    expect(lost.message).toBe('"a" does not hold job "j": nobody holds its lease in store "memory:jobs" (releaseJob)');
  });

  it('times end at the last millisecond of 9999', () => {
    expect(new Date(MAX_TIME).toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });
});
