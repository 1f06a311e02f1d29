import { guardTransient, isNetworkError, StoreUnavailableError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';

const failure = (code: unknown): Error => Object.assign(new Error('failed'), { code });

describe('isNetworkError', () => {
  it("is Node's codes for a connection refused, cut or timed out and a host not found or unreachable", () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) {
      expect(isNetworkError(failure(code))).toBe(true);
    }
  });

  it('is not any other error, nor what is not an object', () => {
    for (const error of [failure('ENOENT'), failure(111), failure(undefined), new Error('ECONNREFUSED'), 'ECONNREFUSED', null, undefined]) {
      expect(isNetworkError(error)).toBe(false);
    }
  });

  it('is what a backend gives guardTransient to report StoreUnavailableError', async () => {
    await expect(guardTransient('x:jobs', 'lookupJob', isNetworkError, () => Promise.reject(failure('ECONNRESET')))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
