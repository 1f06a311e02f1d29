import { InvalidArgumentError } from '@jobstore/core';
import { decodeId, encodeId, ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import { describe, expect, it } from 'vitest';

describe('ZooKeeperJobStore options', () => {
  const good = { connectionString: '127.0.0.1:2181' };

  it.each([
    ['no connection', {}],
    ['two connections', { ...good, connect: async () => Promise.reject(new Error('unused')) }],
    ['a connection string with a path or spaces', { connectionString: '127.0.0.1:2181/chroot x' }],
    ['a relative root', { ...good, root: 'jobstore' }],
    ['a root with ..', { ...good, root: '/jobstore/../etc' }],
    ['a root with a trailing slash', { ...good, root: '/jobstore/' }],
    ['a namespace that is a path', { ...good, namespace: 'a/b' }],
    ['a tiny session timeout', { ...good, sessionTimeout: 10 }],
  ])('refuses %s with InvalidArgumentError before connecting', (_, options) => {
    expect(() => new ZooKeeperJobStore(options as never)).toThrow(InvalidArgumentError);
  });

  it.each(['/zookeeper', '/zookeeper/quota', '/zookeeper/jobs/billing'])("refuses root %s, inside ZooKeeper's reserved tree, naming it", (root) => {
    const open = (): unknown => new ZooKeeperJobStore({ ...good, root });
    expect(open).toThrow(InvalidArgumentError);
    expect(open).toThrow(`ZooKeeperJobStore: root "${root}" is inside /zookeeper, which ZooKeeper reserves for itself (quotas, configuration): use another root, such as /jobstore`);
  });

  it('takes roots that only look like the reserved one', () => {
    for (const root of ['/zookeeper-jobs', '/zookeeperx', '/ZooKeeper', '/apps/zookeeper']) expect(new ZooKeeperJobStore({ ...good, root }).path).toBe(`${root}/jobs`);
  });

  it('places the store at <root>/<namespace>', () => {
    expect(new ZooKeeperJobStore({ ...good, root: '/apps/billing', namespace: 'nightly' }).path).toBe('/apps/billing/nightly');
  });
});

describe('job ids as znode names', () => {
  const ids = ['a/b', '..', '.', ' ', 'a b', 'Ünïcødé', '日本', '\u{1F600}', 'zookeeper', 'A', 'a', '/', 'x'.repeat(300)];

  it('are reversible, distinct, and never a path, "." or ".."', () => {
    const names = ids.map(encodeId);
    expect(new Set(names).size).toBe(ids.length);
    for (const [i, name] of names.entries()) {
      expect(decodeId(name)).toBe(ids[i]);
      expect(name).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(['.', '..']).not.toContain(name);
    }
  });
});
