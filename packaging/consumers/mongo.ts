import { MongoJobStore } from '@jobstore/store-mongo';
import { exercise } from './exercise.js';

const url = process.env['JOBSTORE_URL'] ?? 'mongodb://127.0.0.1:27017/?replicaSet=rs0';
await exercise(new MongoJobStore({ url, database: 'packaging', collection: 'jobs' }));
