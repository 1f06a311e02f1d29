import { sql, type Kysely, type RawBuilder } from 'kysely';

/** The SQL dialects the store speaks. MySQL covers MariaDB. */
export type SqlDialectName = 'postgres' | 'mysql' | 'sqlite';

/**
 * Kysely's "any database" parameter (as in its migration docs): the store runs only its own SQL,
 * so it accepts a caller's Kysely whatever its schema type. Kysely is invariant in it, so nothing
 * narrower than `any` would let `Kysely<YourDatabase>` in.
 */
// biome-ignore lint/suspicious/noExplicitAny: a Kysely over any database, as Kysely's own Kysely<any>
export type AnyDatabase = any;

/** A Kysely instance of any schema. */
export type AnyKysely = Kysely<AnyDatabase>;

/** The few expressions that differ between dialects in otherwise shared queries. */
export interface DialectSql {
  readonly name: SqlDialectName;
  /** The data column, read as codec text. */
  readonly dataText: RawBuilder<unknown>;
  /** Binds codec text to the data column. */
  data(text: string): RawBuilder<unknown>;
  /** Binds an integer (or null) where the type must be explicit. */
  int(value: number | null): RawBuilder<unknown>;
}

export const DIALECTS: Record<SqlDialectName, DialectSql> = {
  postgres: {
    name: 'postgres',
    dataText: sql`data`,
    data: (text) => sql`${text}::text`,
    int: (value) => sql`${value}::bigint`,
  },
  mysql: {
    name: 'mysql',
    dataText: sql`data`,
    data: (text) => sql`${text}`,
    int: (value) => sql`${value}`,
  },
  sqlite: {
    name: 'sqlite',
    dataText: sql`data`,
    data: (text) => sql`${text}`,
    int: (value) => sql`${value}`,
  },
};
