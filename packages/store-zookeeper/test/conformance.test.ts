import { resolveService, runConformanceSuite, SERVICES } from '@jobstore/conformance';
import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import type { Client } from 'node-zookeeper-client';
import { connect, connectionString, rawAccess, removeTree, ROOT } from './support.js';

// The server: scripts/zookeeper.sh starts one from Debian's zookeeper package (CI runs it).
const service = await resolveService(SERVICES.zookeeper);
const admin: Client | undefined = service.available ? await connect(service.url) : undefined;

runConformanceSuite({
  name: 'zookeeper',
  skip: service.available ? undefined : `${service.reason} (start one with scripts/zookeeper.sh start)`,
  open: (namespace) => new ZooKeeperJobStore({ connectionString: service.available ? connectionString(service.url) : '127.0.0.1:1', root: ROOT, namespace }),
  raw: rawAccess(admin as Client),
  drop: (namespace) => removeTree(admin as Client, `${ROOT}/${namespace}`),
  teardown: async () => {
    if (admin !== undefined) {
      await removeTree(admin, ROOT);
      admin.close();
    }
  },
});
