import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { StoreUnavailableError } from '@jobstore/core';
import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import { afterAll, describe, expect, it } from 'vitest';

describe('a server that accepts the connection but never answers the handshake', () => {
  // As a ZooKeeper that is still starting can: the socket is open, the connect request never answered.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('is given up on and tried again, not waited on forever; the store reports itself unavailable', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = new ZooKeeperJobStore({ connectionString: `127.0.0.1:${port}`, root: '/jobstore-handshake' });
    await expect(store.getNextRunTime()).rejects.toBeInstanceOf(StoreUnavailableError);
    // Without the watchdog the client would sit on its first socket: one connection in all.
    expect(sockets.length).toBeGreaterThanOrEqual(3);
    await store.close();
  }, 30_000);
});
