import { runConformanceSuite } from '@jobstore/conformance';
import { createStore } from './create-store.js';
import { MapServer } from './map-driver.js';

const server = new MapServer();

runConformanceSuite({
  name: 'map (the example backend)',
  open: (namespace) => createStore({ server, namespace }),
  raw: {
    read: async (namespace, id) => server.table(namespace).get(id) ?? null,
    write: async (namespace, row) => {
      server.table(namespace).set(row.id, { ...row });
    },
  },
  drop: async (namespace) => {
    server.tables.delete(namespace);
  },
});
