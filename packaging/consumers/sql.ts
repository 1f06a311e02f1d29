// One program for the three dialects: JOBSTORE_URL is postgres://, mysql:// or sqlite:<file>.
import { SqlJobStore } from '@jobstore/store-sql';
import { exercise } from './exercise.js';

const url = process.env['JOBSTORE_URL'];
if (url === undefined) throw new Error('set JOBSTORE_URL');
const store = new SqlJobStore({ url, namespace: 'packaging_jobs' });
await store.open();
await exercise(store);
