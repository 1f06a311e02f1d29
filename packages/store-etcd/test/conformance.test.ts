import { resolveService, runConformanceSuite, SERVICES } from '@jobstore/conformance';
import { createStore } from '@jobstore/store-etcd';
import type { Etcd3 } from 'etcd3';
import { admin, dropKeys, PREFIX, rawAccess } from './support.js';

// The server: scripts/etcd.sh starts one from Debian's etcd-server package (CI runs it).
const service = await resolveService(SERVICES.etcd);
const client: Etcd3 | undefined = service.available ? admin(service.url) : undefined;

runConformanceSuite({
  name: 'etcd',
  skip: service.available ? undefined : `${service.reason} (start one with scripts/etcd.sh start)`,
  open: (namespace) => createStore({ hosts: service.available ? service.url : 'http://127.0.0.1:1', prefix: PREFIX, namespace }),
  raw: rawAccess(client as Etcd3),
  drop: (namespace) => dropKeys(client as Etcd3, namespace),
  teardown: async () => {
    if (client !== undefined) {
      await dropKeys(client);
      client.close();
    }
  },
});
