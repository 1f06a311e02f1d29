import { join } from 'node:path';
import { SqlJobStore, type AnyKysely, type SqlDialectName } from '@jobstore/store-sql';
import Database from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { BULK_DATA, type BenchBackend } from '../store-bench.js';
import { MARIADB_URL, PG_URL } from '../urls.js';

/** A SQL server the benchmarks use, with how to open an admin connection to it. */
export interface SqlSpec {
  readonly label: string;
  readonly dialect: SqlDialectName;
  readonly url: string;
  admin(): AnyKysely;
}

/** The local PostgreSQL and MariaDB, and a SQLite file in `dir`. */
export function sqlSpecs(dir: string): SqlSpec[] {
  return [
    {
      label: 'PostgreSQL',
      dialect: 'postgres',
      url: PG_URL,
      admin() {
        return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: this.url, max: 2 }) }) });
      },
    },
    {
      label: 'MariaDB',
      dialect: 'mysql',
      url: MARIADB_URL,
      admin() {
        return new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: this.url, connectionLimit: 2 }) }) });
      },
    },
    {
      label: 'SQLite (file, WAL)',
      dialect: 'sqlite',
      url: `sqlite:${join(dir, 'bench.db')}`,
      admin() {
        return new Kysely({ dialect: new SqliteDialect({ database: new Database(join(dir, 'bench.db')) }) });
      },
    },
  ];
}

/** The SQL store on `table`, with its own admin connection for resets and bulk loads. */
export function sqlBackend(spec: SqlSpec, table: string): BenchBackend {
  const admin = spec.admin();
  const t = sql.table(table);
  return {
    label: spec.label,
    open: (connections) => new SqlJobStore({ url: spec.url, namespace: table, poolSize: connections }),
    async reset() {
      await sql`DROP TABLE IF EXISTS ${t}`.execute(admin);
      await sql`DELETE FROM jobstore_migrations WHERE table_name = ${table}`.execute(admin).catch(() => undefined);
      const store = new SqlJobStore({ db: admin, dialect: spec.dialect, namespace: table });
      await store.open();
      await store.close();
    },
    async bulkInsert(prefix, count, first, step) {
      const data = BULK_DATA;
      for (let start = 0; start < count; start += 100_000) {
        const n = Math.min(100_000, count - start);
        if (spec.dialect === 'postgres') {
          await sql`INSERT INTO ${t} (id, next_run_time, data, version) SELECT ${prefix} || (${start}::bigint + g), ${first}::bigint + (${start}::bigint + g) * ${step}, ${data}, 1 FROM generate_series(0, ${n - 1}) AS g`.execute(
            admin,
          );
        } else if (spec.dialect === 'mysql') {
          await sql`INSERT INTO ${t} (id, next_run_time, data, version) SELECT CONCAT(${prefix}, ${start} + seq), ${first} + (${start} + seq) * ${step}, ${data}, 1 FROM ${sql.raw(`seq_0_to_${n - 1}`)}`.execute(
            admin,
          );
        } else {
          await sql`WITH RECURSIVE seq(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM seq WHERE g < ${n - 1})
            INSERT INTO ${t} (id, next_run_time, data, version) SELECT ${prefix} || (${start} + g), ${first} + (${start} + g) * ${step}, ${data}, 1 FROM seq`.execute(admin);
        }
      }
      await sql.raw(spec.dialect === 'mysql' ? `ANALYZE TABLE ${table}` : `ANALYZE ${table}`).execute(admin);
    },
    size: async () => {
      if (spec.dialect === 'postgres') {
        const { rows } = await sql<{ bytes: string }>`SELECT pg_total_relation_size(${table}) AS bytes`.execute(admin);
        return Number(rows[0]?.bytes ?? 0);
      }
      if (spec.dialect === 'mysql') {
        await sql.raw(`ANALYZE TABLE ${table}`).execute(admin);
        const { rows } = await sql<{
          bytes: string | number;
        }>`SELECT data_length + index_length AS bytes FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ${table}`.execute(admin);
        return Number(rows[0]?.bytes ?? 0);
      }
      const { rows } = await sql<{ bytes: number }>`SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = ${table} OR name LIKE ${`${table}$%`} OR name LIKE ${`sqlite_autoindex_${table}_%`}`
        .execute(admin)
        .catch(async () => sql<{ bytes: number }>`SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()`.execute(admin));
      return Number(rows[0]?.bytes ?? 0);
    },
    close: () => admin.destroy(),
  };
}
