import { RedisJobStore } from '@jobstore/store-redis';
import { exercise } from './exercise.js';

await exercise(new RedisJobStore({ url: process.env['JOBSTORE_URL'] ?? 'redis://127.0.0.1:6379', namespace: 'packaging' }));
