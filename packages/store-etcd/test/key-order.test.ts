import { resolveService, SERVICES } from '@jobstore/conformance';
import { compareIds } from '@jobstore/core';
import { decodeId, encodeId, EtcdJobStore } from '@jobstore/store-etcd';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, dropKeys, PREFIX } from './support.js';

const sign = (n: number): number => Math.sign(n);
// Any string core accepts as an id: no NUL, no lone surrogate.
const anyId = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((id) => !id.includes('\0'));

describe('encodeId', () => {
  it('orders encoded ids as compareIds orders the ids (code point order), and decodes back', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        const [x, y] = [encodeId(a), encodeId(b)];
        expect(sign(x < y ? -1 : x > y ? 1 : 0)).toBe(sign(compareIds(a, b)));
        expect(decodeId(x)).toBe(a);
        expect(x).not.toContain('/');
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the cases that a naive escaping gets wrong in order', () => {
    const ids = ['a', 'a/b', 'a/', 'a0', 'a.', 'ab', '\u{1F600}', '\uFF5E', 'é', 'e', 'a b', 'A'];
    expect(ids.map(encodeId).sort().map(decodeId)).toStrictEqual([...ids].sort(compareIds));
  });
});

const service = await resolveService(SERVICES.etcd);

describe.skipIf(!service.available)('ids in etcd', () => {
  const url = service.available ? service.url : '';
  const client = service.available ? admin(url) : undefined;
  afterAll(async () => {
    await client?.delete().prefix(`${PREFIX}/keyorder/`);
    client?.close();
  });

  it('lists scheduled jobs of one time, then paused jobs, in code point order of their ids, "/" included', async () => {
    const store = new EtcdJobStore({ hosts: url, prefix: PREFIX, namespace: 'keyorder' });
    const ids = ['a/b', 'a', 'a/', 'a0', '\u{1F600}', '\uFF5E', 'b//c', '/'];
    try {
      const when = new Date(Date.UTC(2030, 0, 1));
      for (const id of ids) await store.addJob({ id, nextRunTime: when });
      for (const id of ids) await store.addJob({ id: `p${id}`, nextRunTime: null });
      const listed = (await store.getAllJobs()).map((job) => job.id);
      expect(listed).toStrictEqual([...[...ids].sort(compareIds), ...ids.map((id) => `p${id}`).sort(compareIds)]);
    } finally {
      await dropKeys(client!, 'keyorder');
      await store.close();
    }
  });
});
