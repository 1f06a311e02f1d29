import { sql, type RawBuilder } from 'kysely';
import type { AnyKysely } from './dialect.js';

/** Runs `work` between `begin` and COMMIT on one connection, rolling back if it throws. */
export async function inTransaction<T>(conn: AnyKysely, begin: RawBuilder<unknown>, work: () => Promise<T>): Promise<T> {
  await begin.execute(conn);
  try {
    const result = await work();
    await sql`COMMIT`.execute(conn);
    return result;
  } catch (error) {
    await sql`ROLLBACK`.execute(conn).catch(() => undefined);
    throw error;
  }
}
