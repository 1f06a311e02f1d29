import { EtcdJobStore } from '@jobstore/store-etcd';
import { exercise } from './exercise.js';

await exercise(new EtcdJobStore({ hosts: process.env['JOBSTORE_URL'] ?? 'http://127.0.0.1:23790', prefix: 'jobstore-packaging', namespace: 'packaging' }));
