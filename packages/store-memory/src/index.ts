export { MemoryJobStore, type MemoryJobStoreOptions } from './memory-job-store.js';
export { MemoryDatabase } from './memory-database.js';
export type { MemoryTable } from './memory-table.js';
export { createStore } from './create-store.js';
