export { SqlJobStore, type SqlJobStoreOptions, type SqlKyselyOptions, type SqlUrlOptions } from './sql-job-store.js';
export type { AnyKysely, SqlDialectName } from './dialect.js';
export { JobQueries } from './queries.js';
export { DIALECTS } from './dialect.js';
export { MIGRATIONS_TABLE, SCHEMA_VERSION } from './schema.js';
export { parseUrl } from './connect.js';
export { createStore } from './create-store.js';
