import { checkStoreOptions, InvalidArgumentError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';

interface Options {
  readonly url?: string;
  readonly client?: object;
  readonly cluster?: readonly string[];
  readonly namespace?: string;
  readonly collection?: string;
}

const connection = ['client', 'url', 'cluster'] as const;

describe('checkStoreOptions', () => {
  it('returns the namespace, "jobs" or the default given when absent', () => {
    expect(checkStoreOptions<Options>({ url: 'x://', namespace: 'billing' }, 'XStore', { connection })).toBe('billing');
    expect(checkStoreOptions<Options>({ url: 'x://' }, 'XStore', { connection })).toBe('jobs');
    expect(checkStoreOptions<Options>({}, 'XStore', { defaultNamespace: 'jobstore_jobs' })).toBe('jobstore_jobs');
    expect(checkStoreOptions<Options>({ collection: 'runs' }, 'XStore', { namespaceOption: 'collection' })).toBe('runs');
  });

  it('refuses options that are not an object, naming the store', () => {
    for (const options of [null, undefined, 'redis://h', 3]) {
      expect(() => checkStoreOptions(options as unknown as Options, 'XStore')).toThrow(new InvalidArgumentError('XStore: options must be an object'));
    }
  });

  it('refuses a bad namespace with assertNamespace, naming the option when it is not "namespace"', () => {
    expect(() => checkStoreOptions<Options>({ url: 'x://', namespace: 'a/b' }, 'XStore', { connection })).toThrow(/^XStore: namespace "a\/b" is not valid/);
    expect(() => checkStoreOptions<Options>({ collection: '1x' }, 'XStore', { namespaceOption: 'collection' })).toThrow(/^XStore \(collection\): namespace "1x" is not valid/);
  });

  it('wants exactly one of the connection options, saying which were given', () => {
    expect(() => checkStoreOptions<Options>({}, 'XStore', { connection })).toThrow(new InvalidArgumentError('XStore: give exactly one of client, url or cluster, got none'));
    expect(() => checkStoreOptions<Options>({ url: 'x://', cluster: [] }, 'XStore', { connection })).toThrow(
      new InvalidArgumentError('XStore: give exactly one of client, url or cluster, got url and cluster'),
    );
    expect(() => checkStoreOptions<{ url?: string | undefined; client?: object }>({ url: undefined }, 'XStore', { connection: ['url', 'client'] })).toThrow(/exactly one of url or client, got none/);
    expect(checkStoreOptions<Options>({ client: {} }, 'XStore', { connection })).toBe('jobs');
  });
});
