export { SqlJobStore, type SqlJobStoreOptions, type SqlKyselyOptions, type SqlUrlOptions } from './sql-job-store.js';
export type { AnyDatabase, AnyKysely, DialectSql, SqlDialectName } from './dialect.js';
export { JobQueries } from './queries.js';
export { DIALECTS } from './dialect.js';
export { MIGRATIONS_TABLE, SCHEMA_VERSION } from './schema.js';
export { parseUrl, type SqlUrl } from './connect.js';
export type { JobRow } from './rows.js';
export { createStore } from './create-store.js';
