import { resolveService, SERVICES } from '@jobstore/conformance';
import { LeaseLostError, StoreUnavailableError, type StoreEvent } from '@jobstore/core';
import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connect, connectionString, removeTree, ROOT } from './support.js';

const service = await resolveService(SERVICES.zookeeper);
const url = service.available ? service.url : '';
const namespace = `session_${process.pid}`;

/** Resolves true when `emitter` emits `event` within `ms`, else false. */
function within(emitter: Client, event: 'connected' | 'expired', ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Ends a client's session from outside, as ZooKeeper does when it stops hearing from it: a second
 * client joins the session, then closes it. The victim may take the session back in between, so
 * this tries again until the victim hears that its session expired. A twin the server turns away
 * as expired means an earlier close did end it, and the victim has yet to hear.
 */
async function expireSession(victim: Client): Promise<void> {
  let heard = false;
  victim.once('expired', () => (heard = true));
  for (let attempt = 0; attempt < 10 && !heard; attempt++) {
    // node-zookeeper-client takes these options; its published types leave them out.
    const joining = { sessionId: victim.getSessionId(), sessionPassword: victim.getSessionPassword(), sessionTimeout: 10_000 };
    const twin = zookeeper.createClient(connectionString(url), joining);
    const joined = within(twin, 'connected', 5000);
    const refused = within(twin, 'expired', 5000);
    twin.connect();
    await Promise.race([joined, refused]);
    twin.close();
    // Under load the victim may take seconds to reconnect and be told.
    for (let waited = 0; waited < 5000 && !heard; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!heard) throw new Error('could not expire the session in 10 attempts');
}

describe.skipIf(!service.available)('ZooKeeper session expiry', () => {
  afterAll(async () => {
    const admin = await connect(url);
    await removeTree(admin, `${ROOT}/${namespace}`);
    admin.close();
  });

  it('a store whose session expires fails calls as unavailable, loses its claims to time, and recovers with its watch', async () => {
    const clients: Client[] = [];
    let reopen: () => void = () => undefined;
    const reopened = new Promise<void>((resolve) => (reopen = resolve));
    const a = new ZooKeeperJobStore({
      root: ROOT,
      namespace,
      // The second session waits for the test, so the time without one can be watched.
      connect: async () => {
        if (clients.length > 0) await reopened;
        const client = await connect(url);
        clients.push(client);
        return client;
      },
    });
    const b = new ZooKeeperJobStore({ connectionString: connectionString(url), root: ROOT, namespace });
    try {
      await a.addJob({ id: 'held', nextRunTime: new Date(0) });
      const now = Date.now();
      expect(await a.acquireDueJobs({ owner: 'a', now: new Date(now), leaseMs: 1500, limit: 10 })).toHaveLength(1);

      await expireSession(clients[0] as Client);
      // No session: nothing is answered from the old one, a claim least of all.
      await expect(a.acquireDueJobs({ owner: 'a', now: new Date(), leaseMs: 1500, limit: 10 })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(a.getNextRunTime()).rejects.toBeInstanceOf(StoreUnavailableError);

      // Meanwhile the claim holds until its lease ends, then another store takes the job.
      expect(await b.acquireDueJobs({ owner: 'b', now: new Date(now + 1000), leaseMs: 60_000, limit: 10 })).toStrictEqual([]);
      expect((await b.acquireDueJobs({ owner: 'b', now: new Date(now + 1501), leaseMs: 60_000, limit: 10 })).map((job) => job.id)).toStrictEqual(['held']);

      reopen();
      await vi.waitFor(() => expect(clients).toHaveLength(2), { timeout: 5000, interval: 10 });
      const events: StoreEvent[] = [];
      a.subscribe((event) => events.push(event));
      // Back with a new session: a sees b's claim and the lost lease, and hears b's changes again.
      await vi.waitFor(async () => expect(await a.lookupJob('held')).toMatchObject({ acquiredBy: 'b' }), { timeout: 5000, interval: 10 });
      await expect(a.releaseJob('held', 'a', { nextRunTime: new Date(now + 10_000) })).rejects.toBeInstanceOf(LeaseLostError);
      await b.addJob({ id: 'after', nextRunTime: new Date(now + 5000) });
      await vi.waitFor(() => expect(events).toContainEqual({ type: 'added', jobId: 'after', nextRunTime: new Date(now + 5000) }), { timeout: 5000, interval: 10 });
      expect(await a.getNextRunTime()).toStrictEqual(new Date(now + 5000));
      expect((await a.acquireDueJobs({ owner: 'a', now: new Date(now + 5000), leaseMs: 1000, limit: 10 })).map((job) => job.id)).toStrictEqual(['after']);
    } finally {
      // A failed step must not leave the store's reconnect waiting on the test.
      reopen();
      await a.close();
      await b.close();
    }
    // The store closed both clients it was given.
    await vi.waitFor(() => expect(clients.map((client) => client.getState().name)).toStrictEqual(['DISCONNECTED', 'DISCONNECTED']), { timeout: 5000, interval: 10 });
  }, 60_000);
});
