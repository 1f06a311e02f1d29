import { MemoryJobStore } from '@jobstore/store-memory';
import { exercise } from './exercise.js';

await exercise(new MemoryJobStore());
