import { containerRuntimeAvailable, resolveService, SERVICES, type StartedServer } from '@jobstore/conformance';

/**
 * A MongoDB for the tests, in this order: JOBSTORE_TEST_MONGO_URL; a single-node replica set in a
 * container (@testcontainers/mongodb) where a container runtime answers; a real mongod that
 * mongodb-memory-server downloads and starts as a single-node replica set; a local mongod on 27017.
 */
async function start(): Promise<StartedServer> {
  if (await containerRuntimeAvailable()) {
    const { MongoDBContainer } = await import('@testcontainers/mongodb');
    const container = await new MongoDBContainer('mongo:7').start();
    return { url: `${container.getConnectionString()}?directConnection=true`, stop: async () => void (await container.stop()) };
  }
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  const replSet = await MongoMemoryReplSet.create({ replSet: { count: 1 } });
  return { url: replSet.getUri(), stop: async () => void (await replSet.stop()) };
}

export const mongo = await resolveService({ ...SERVICES.mongo, start });
