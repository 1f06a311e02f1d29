import { resolveService, SERVICES } from '@jobstore/conformance';
import { JobTooLargeError } from '@jobstore/core';
import { EtcdJobStore } from '@jobstore/store-etcd';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, dropKeys, PREFIX } from './support.js';

const service = await resolveService(SERVICES.etcd);
const at = (ms: number): Date => new Date(Date.UTC(2030, 0, 1) + ms);

describe.skipIf(!service.available)("data over etcd's request limit (--max-request-bytes, 1.5 MiB by default)", () => {
  const url = service.available ? service.url : '';
  const client = service.available ? admin(url) : undefined;
  afterAll(async () => {
    await dropKeys(client!, 'toolarge');
    client?.close();
  });

  it('is refused with JobTooLargeError naming the job and the limit, and nothing is written', async () => {
    const store = new EtcdJobStore({ hosts: url, prefix: PREFIX, namespace: 'toolarge' });
    const big = { blob: 'x'.repeat(2 * 1024 * 1024) };
    try {
      const error = await store.addJob({ id: 'big', nextRunTime: at(0), data: big }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobTooLargeError);
      expect(error).toMatchObject({ jobId: 'big', operation: 'addJob', limit: 1_572_864, setting: 'etcd --max-request-bytes' });
      expect((error as JobTooLargeError).size).toBeGreaterThan(2 * 1024 * 1024);
      expect(await store.lookupJob('big')).toBeNull();

      await store.addJob({ id: 'small', nextRunTime: at(0), data: { blob: 'x' } });
      await expect(store.updateJob('small', { data: big })).rejects.toBeInstanceOf(JobTooLargeError);
      const [claimed] = await store.acquireDueJobs({ owner: 'w', now: at(0), leaseMs: 60_000, limit: 1 });
      expect(claimed?.id).toBe('small');
      await expect(store.releaseJob('small', 'w', { nextRunTime: at(1), data: big })).rejects.toBeInstanceOf(JobTooLargeError);
      expect(await store.lookupJob('small')).toMatchObject({ data: { blob: 'x' }, version: 1, acquiredBy: 'w' });

      // Just under the limit is kept, byte for byte.
      const fits = { blob: 'y'.repeat(1_400_000) };
      await store.addJob({ id: 'fits', nextRunTime: at(0), data: fits });
      expect((await store.lookupJob('fits'))?.data).toStrictEqual(fits);
    } finally {
      await store.close();
    }
  });
});
