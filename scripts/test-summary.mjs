#!/usr/bin/env node
// Prints the one line CI ends with, `N passed, N failed, N skipped`, from vitest's JSON report.
// A step that failed before or around vitest (install, build, typecheck, a file that would not
// load) counts as a failure, so the line never reads green when the run was not.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = '.test-report.json', exitCode = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that failed to load has no failed tests of its own.
  for (const file of report.testResults ?? []) {
    const anyFailed = (file.assertionResults ?? []).some((test) => test.status === 'failed');
    if (file.status === 'failed' && !anyFailed) failed += 1;
  }
}
if (Number(exitCode) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
