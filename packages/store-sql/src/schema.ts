import { InvalidArgumentError } from '@jobstore/core';
import { sql, type RawBuilder } from 'kysely';
import type { AnyKysely, SqlDialectName } from './dialect.js';
import { inTransaction } from './transaction.js';

/** Records, per jobs table, which schema version it is at, so later releases can migrate it. */
export const MIGRATIONS_TABLE = 'jobstore_migrations';

/** The schema versions this release knows, oldest first. Each step runs once per table. */
type Migration = (table: string, flavour: Flavour) => RawBuilder<unknown>[];

/** What the server is, where one dialect covers several (MariaDB and MySQL differ in collations). */
export interface Flavour {
  readonly dialect: SqlDialectName;
  readonly mariadb: boolean;
}

const MIGRATIONS: readonly Migration[] = [
  // 1: the jobs table. Times are epoch milliseconds; ids compare by code point (UTF-8 bytes),
  // case- and trailing-space-sensitive, as the contract orders them.
  (table, flavour) => {
    const t = sql.table(table);
    // `$` never appears in a namespace, so these names cannot be another namespace's table
    // (PostgreSQL and SQLite keep tables and indexes in one namespace).
    const due = sql.id(`${table}$next_run`);
    const lease = sql.id(`${table}$lease`);
    const key = sql.id(`${table}$pkey`);
    switch (flavour.dialect) {
      case 'postgres':
        return [
          sql`CREATE TABLE ${t} (
            id text COLLATE "C" NOT NULL,
            next_run_time bigint,
            data text NOT NULL,
            version bigint NOT NULL,
            acquired_by text COLLATE "C",
            acquired_until bigint,
            CONSTRAINT ${key} PRIMARY KEY (id)
          )`,
          // Serves the due query, claims, the next-run query and listings (paused rows too).
          sql`CREATE INDEX ${due} ON ${t} (next_run_time, id)`,
          // Serves the next-run query's look at leased rows, and lease reclaim.
          sql`CREATE INDEX ${lease} ON ${t} (acquired_until) WHERE acquired_until IS NOT NULL`,
        ];
      case 'mysql': {
        // NO PAD binary collations: 'a' and 'a ' are two ids (utf8mb4_bin pads on MariaDB).
        // Data is LONGTEXT, not JSON: JSON columns refuse nesting past 32 (MariaDB) or 100 (MySQL)
        // levels, and the codec allows 1,000.
        const collate = sql.raw(flavour.mariadb ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin');
        return [
          sql`CREATE TABLE ${t} (
            id varchar(512) CHARACTER SET utf8mb4 COLLATE ${collate} NOT NULL,
            next_run_time bigint NULL,
            data longtext NOT NULL,
            version bigint NOT NULL,
            acquired_by varchar(255) CHARACTER SET utf8mb4 COLLATE ${collate} NULL,
            acquired_until bigint NULL,
            PRIMARY KEY (id),
            KEY ${due} (next_run_time, id),
            KEY ${lease} (acquired_until)
          ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collate}`,
        ];
      }
      case 'sqlite':
        return [
          sql`CREATE TABLE ${t} (
            id text NOT NULL PRIMARY KEY,
            next_run_time integer,
            data text NOT NULL,
            version integer NOT NULL,
            acquired_by text,
            acquired_until integer
          )`,
          sql`CREATE INDEX ${due} ON ${t} (next_run_time, id)`,
          sql`CREATE INDEX ${lease} ON ${t} (acquired_until) WHERE acquired_until IS NOT NULL`,
        ];
    }
  },
  // 2: PostgreSQL keeps data as text, not jsonb: jsonb reorders object keys, and the store keeps
  // data exactly as the codec wrote it. (A table made at version 1 may hold jsonb.)
  (table, flavour) => (flavour.dialect === 'postgres' ? [sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN data TYPE text`] : []),
];

/** Tables a namespace may not name: the store's own, and the servers' reserved prefixes. */
const RESERVED = /^(jobstore_migrations$|pg_|sqlite_)/;

/**
 * The SQL stores' rule for a table name, on top of the namespace rule of every backend:
 * lowercase only (SQLite and MySQL on some systems compare table names without case, so `Jobs`
 * and `jobs` could be one table), and none of the reserved names.
 */
export function assertTableName(table: string): void {
  if (/[A-Z]/.test(table))
    throw new InvalidArgumentError(
      `SqlJobStore: namespace ${JSON.stringify(table)} has capitals; use lowercase (table names are case-insensitive on some servers, so "Jobs" and "jobs" could be one table)`,
    );
  if (RESERVED.test(table))
    throw new InvalidArgumentError(`SqlJobStore: namespace ${JSON.stringify(table)} is reserved (${MIGRATIONS_TABLE}, and names starting pg_ or sqlite_, belong to the store or the server)`);
}

/** The newest schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `table` to SCHEMA_VERSION, once, even with many processes starting at the same moment:
 * PostgreSQL takes an advisory lock, MySQL a named lock, SQLite an immediate transaction.
 */
export async function migrate(db: AnyKysely, table: string, flavour: Flavour): Promise<void> {
  await db.connection().execute(async (conn) => {
    const steps = async (): Promise<void> => {
      await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATIONS_TABLE)} (
        table_name varchar(64) NOT NULL PRIMARY KEY,
        version integer NOT NULL
      )`.execute(conn);
      const found = await sql<{ version: number | string }>`SELECT version FROM ${sql.table(MIGRATIONS_TABLE)} WHERE table_name = ${table}`.execute(conn);
      const current = Number(found.rows[0]?.version ?? 0);
      if (current > SCHEMA_VERSION) {
        throw new InvalidArgumentError(`table ${JSON.stringify(table)} is at schema version ${current}, but this release of @jobstore/store-sql knows only up to ${SCHEMA_VERSION}: upgrade it`);
      }
      for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
        for (const statement of MIGRATIONS[version - 1]?.(table, flavour) ?? []) await statement.execute(conn);
      }
      if (current === 0) await sql`INSERT INTO ${sql.table(MIGRATIONS_TABLE)} (table_name, version) VALUES (${table}, ${SCHEMA_VERSION})`.execute(conn);
      else if (current < SCHEMA_VERSION) await sql`UPDATE ${sql.table(MIGRATIONS_TABLE)} SET version = ${SCHEMA_VERSION} WHERE table_name = ${table}`.execute(conn);
    };

    switch (flavour.dialect) {
      case 'postgres':
        await inTransaction(conn, sql`BEGIN`, async () => {
          await sql`SELECT pg_advisory_xact_lock(hashtext(${MIGRATIONS_TABLE}))`.execute(conn);
          await steps();
        });
        return;
      case 'mysql': {
        // DDL commits implicitly in MySQL, so a transaction cannot guard it: a named lock does.
        const locked = await sql<{ got: number | null }>`SELECT GET_LOCK(${MIGRATIONS_TABLE}, 60) AS got`.execute(conn);
        if (Number(locked.rows[0]?.got) !== 1) throw new Error(`could not take the ${MIGRATIONS_TABLE} lock within 60 s`);
        try {
          await steps();
        } finally {
          await sql`SELECT RELEASE_LOCK(${MIGRATIONS_TABLE})`.execute(conn).catch(() => undefined);
        }
        return;
      }
      case 'sqlite':
        await inTransaction(conn, sql`BEGIN IMMEDIATE`, steps);
        return;
    }
  });
}

/**
 * Which flavour the server behind `db` is. Claims need SKIP LOCKED, which MySQL has from 8.0 and
 * MariaDB from 10.6; older servers are refused rather than given a claim that is not atomic.
 */
export async function detectFlavour(db: AnyKysely, dialect: SqlDialectName): Promise<Flavour> {
  if (dialect !== 'mysql') return { dialect, mariadb: false };
  const result = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db);
  const version = result.rows[0]?.v ?? '';
  const mariadb = /mariadb/i.test(version);
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  const [needMajor, needMinor] = mariadb ? [10, 6] : [8, 0];
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    throw new InvalidArgumentError(`@jobstore/store-sql needs ${mariadb ? 'MariaDB 10.6' : 'MySQL 8.0'} or later (for SKIP LOCKED); the server is ${version}`);
  }
  return { dialect, mariadb };
}
