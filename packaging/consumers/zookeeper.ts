import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
import { exercise } from './exercise.js';

// The tests' URL form is zookeeper://host:port; the client takes host:port.
const connectionString = (process.env['JOBSTORE_URL'] ?? '127.0.0.1:2181').replace(/^zookeeper:\/\//, '');
await exercise(new ZooKeeperJobStore({ connectionString, root: '/jobstore-packaging', namespace: 'packaging' }));
