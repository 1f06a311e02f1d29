export { MongoJobStore, createStore, type MongoJobStoreOptions } from './mongo-job-store.js';
export { fromDocument, toDocument, type ChangeMark, type JobDocument } from './documents.js';
