#!/usr/bin/env node
// The `jobstore` command (the package's bin); what it does is in ./cli/.
import { describeError } from './cli/errors.js';
import { main } from './cli/main.js';

// process.exit, not exitCode: after a shutdown timeout, abandoned tasks may still hold the event loop.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`jobstore: ${describeError(error)}\n`);
    process.exit(1);
  },
);
