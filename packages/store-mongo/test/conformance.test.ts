import { runConformanceSuite } from '@jobstore/conformance';
import { fromDocument, MongoJobStore, toDocument } from '@jobstore/store-mongo';
import { MongoClient, type Document } from 'mongodb';
import { mongo } from './server.js';

// Runs against any reachable MongoDB: JOBSTORE_TEST_MONGO_URL=mongodb://host:27017 pnpm vitest run packages/store-mongo
const url = mongo.available ? mongo.url : 'mongodb://127.0.0.1:1';
const DATABASE = `jobstore_test_${process.pid}`;
const admin = new MongoClient(url);
const jobs = (namespace: string) => admin.db(DATABASE).collection<Document>(namespace);

runConformanceSuite({
  name: 'mongo',
  skip: mongo.available ? undefined : mongo.reason,
  open: (namespace) => new MongoJobStore({ url, database: DATABASE, collection: namespace }),
  raw: {
    async read(namespace, id) {
      const doc = await jobs(namespace).findOne({ _id: id as never });
      return doc === null ? null : fromDocument(doc as never);
    },
    async write(namespace, row) {
      await jobs(namespace).replaceOne({ _id: row.id as never }, toDocument(row, 'raw'), { upsert: true });
    },
  },
  drop: async (namespace) => {
    await jobs(namespace)
      .drop()
      .catch(() => undefined);
  },
  teardown: async () => {
    if (mongo.available) {
      await admin.db(DATABASE).dropDatabase();
      await mongo.stop();
    }
    await admin.close();
  },
});
