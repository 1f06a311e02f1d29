import { resolveService, SERVICES } from '@jobstore/conformance';
import { DIALECTS, JobQueries, SqlJobStore, type AnyKysely } from '@jobstore/store-sql';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKysely, dropNamespace } from './support/targets.js';

const ROWS = 100_000;
const T0 = Date.UTC(2030, 0, 1);
const table = `explain_${process.pid}`;

/** The queries the store runs on every scheduler wake, exactly as it builds them. */
function wakeQueries(q: JobQueries): Record<string, RawBuilder<unknown>> {
  const now = T0 + 100 * 1000; // 100 of the 100,000 rows are due
  return {
    'due query': q.due(now, null, 1000),
    'due query, next page': q.due(now, { nextRunTime: T0 + 50_000, id: 'job-50' }, 1000),
    'next-run query': q.nextRunTime(),
    'claim query': q.claimable('owner', now, 100, sql``),
  };
}

const pg = await resolveService(SERVICES.postgres);
describe.skipIf(!pg.available)('PostgreSQL query plans at 100,000 jobs', () => {
  let db: AnyKysely;
  beforeAll(async () => {
    if (!pg.available) return;
    db = adminKysely('postgres', pg.url);
    const store = new SqlJobStore({ db, dialect: 'postgres', namespace: table });
    await store.open();
    await store.close();
    await sql`INSERT INTO ${sql.table(table)} (id, next_run_time, data, version, acquired_by, acquired_until)
      SELECT 'job-' || g, ${T0}::bigint + g * 1000, '{"v":1,"d":{}}', 1,
        CASE WHEN g % 2000 = 0 THEN 'someone' END, CASE WHEN g % 2000 = 0 THEN ${T0}::bigint + 5000 END
      FROM generate_series(1, ${ROWS}) AS g`.execute(db);
    await sql`ANALYZE ${sql.table(table)}`.execute(db);
  }, 120_000);
  afterAll(async () => {
    if (db === undefined) return;
    await dropNamespace(db, table);
    await db.destroy();
  });

  for (const [name, build] of Object.entries(wakeQueries(new JobQueries(table, DIALECTS.postgres)))) {
    it(`the ${name} reads the table through an index, never a sequential scan`, async () => {
      const compiled = build.compile(db);
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]));
      const plan = JSON.stringify(rows[0]?.['QUERY PLAN']);
      const scans = [...plan.matchAll(/"Node Type":"([^"]+)"[^{}]*?"Relation Name":"([^"]+)"/g)].map(([, node, relation]) => `${node} on ${relation}`);
      expect(scans.length, plan).toBeGreaterThan(0);
      expect(
        scans.filter((scan) => scan.startsWith('Seq Scan')),
        plan,
      ).toStrictEqual([]);
    });
  }
});

const maria = await resolveService(SERVICES.mariadb);
describe.skipIf(!maria.available)('MariaDB query plans at 100,000 jobs', () => {
  let db: AnyKysely;
  beforeAll(async () => {
    if (!maria.available) return;
    db = adminKysely('mysql', maria.url);
    const store = new SqlJobStore({ db, dialect: 'mysql', namespace: table });
    await store.open();
    await store.close();
    await sql`INSERT INTO ${sql.table(table)} (id, next_run_time, data, version, acquired_by, acquired_until)
      SELECT CONCAT('job-', seq), ${T0} + seq * 1000, '{"v":1,"d":{}}', 1,
        CASE WHEN seq % 2000 = 0 THEN 'someone' END, CASE WHEN seq % 2000 = 0 THEN ${T0} + 5000 END
      FROM seq_1_to_100000`.execute(db);
    await sql`ANALYZE TABLE ${sql.table(table)}`.execute(db);
  }, 120_000);
  afterAll(async () => {
    if (db === undefined) return;
    await dropNamespace(db, table);
    await db.destroy();
  });

  for (const [name, build] of Object.entries(wakeQueries(new JobQueries(table, DIALECTS.mysql)))) {
    it(`the ${name} reads the table through an index range, never a full scan`, async () => {
      const compiled = build.compile(db);
      const { rows } = await db.executeQuery<{ table: string | null; type: string | null; key: string | null; rows: number | string | null }>(
        CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
      );
      const reads = rows.filter((row) => row.table === table);
      expect(reads.length, JSON.stringify(rows)).toBeGreaterThan(0);
      for (const read of reads) {
        // ALL is a table scan and index a scan of a whole index; both grow with the table.
        expect(['range', 'ref', 'eq_ref', 'const'], JSON.stringify(rows)).toContain(read.type);
        expect(read.key, JSON.stringify(rows)).not.toBeNull();
      }
    });
  }
});
