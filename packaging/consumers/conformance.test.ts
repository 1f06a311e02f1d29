// The conformance README's example, as a backend author would run it.
import { runConformanceSuite } from '@jobstore/conformance';
import { MemoryDatabase, MemoryJobStore } from '@jobstore/store-memory';

const database = new MemoryDatabase();

runConformanceSuite({
  name: 'memory',
  open: (namespace) => new MemoryJobStore({ database, namespace }),
  raw: {
    read: async (namespace, id) => database.readRow(namespace, id),
    write: async (namespace, row) => database.writeRow(namespace, row),
  },
});
