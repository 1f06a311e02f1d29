import { runConformanceSuite } from '@jobstore/conformance';
import { MemoryDatabase, MemoryJobStore } from '@jobstore/store-memory';

// One database plays the server: every store the suite opens on a namespace shares its jobs.
const database = new MemoryDatabase();

runConformanceSuite({
  name: 'memory',
  open: (namespace) => new MemoryJobStore({ database, namespace }),
  raw: {
    read: async (namespace, id) => database.readRow(namespace, id),
    write: async (namespace, row) => database.writeRow(namespace, row),
  },
});
