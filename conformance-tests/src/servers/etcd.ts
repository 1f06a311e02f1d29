import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { childServer, type OwnServer } from './own-server.js';

const BINARY = '/usr/bin/etcd';

/**
 * An etcd server of the test's own ({@link OwnServer}), from Debian's `etcd-server` package
 * (`scripts/etcd.sh start` installs it): one member, its data in a temporary directory, so a
 * test may kill and restart it without touching the shared one.
 */
export async function startEtcd(): Promise<OwnServer> {
  if (!existsSync(BINARY)) throw new Error(`no ${BINARY}: install Debian's etcd-server package (scripts/etcd.sh start does)`);
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-etcd-'));
  const port = await freePort();
  const peer = await freePort();
  const server = childServer({
    command: BINARY,
    args: [
      '--name',
      'own',
      '--data-dir',
      join(dir, 'data'),
      '--listen-client-urls',
      `http://127.0.0.1:${port}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${port}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-cluster',
      `own=http://127.0.0.1:${peer}`,
    ],
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    what: 'etcd',
  });
  await server.start();
  return server;
}
