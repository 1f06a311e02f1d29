import { InvalidArgumentError } from '@jobstore/core';
import { describe, expect, it } from 'vitest';
import { withSqliteHint } from '../src/cli/serve.js';

// jobstore serve without a config keeps its jobs in a SQLite file, through packages the
// application installs (@jobstore/http depends on no store): a missing one is named with the line to run.
describe("jobstore serve's default store", () => {
  it('says what to install when @jobstore/store-sql or its driver is missing', () => {
    const missing = new InvalidArgumentError('jobstore "default": @jobstore/store-sql is not installed in /srv/app (npm install @jobstore/store-sql)');
    const hinted = withSqliteHint(missing) as Error;
    expect(hinted.name).toBe('UserError');
    expect(hinted.message).toBe(
      'without a config, jobs live in ./jobstore.db (SQLite), which needs @jobstore/store-sql, kysely, better-sqlite3: npm install @jobstore/store-sql kysely better-sqlite3 (or give another store with --config); jobstore "default": @jobstore/store-sql is not installed in /srv/app (npm install @jobstore/store-sql)',
    );
    const driver = new InvalidArgumentError('SqlJobStore: this database needs the "better-sqlite3" package: npm install better-sqlite3');
    expect((withSqliteHint(driver) as Error).message).toMatch(/^without a config, jobs live in \.\/jobstore\.db \(SQLite\).*this database needs the "better-sqlite3" package/);
  });

  it('leaves any other error as it is', () => {
    const other = new Error('listen EADDRINUSE');
    expect(withSqliteHint(other)).toBe(other);
  });
});
