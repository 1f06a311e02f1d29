import { parseCommandLine, type Command } from './args.js';
import { UsageError } from './errors.js';
import { fail, outputWidth, print } from './output.js';
import { serve } from './serve.js';
import { mainHelp, serveHelp, synopsis } from './usage.js';
import { version } from './version.js';

/**
 * The `jobstore` command: resolves with the exit status. 0 done, 1 an error, 2 a usage error;
 * `serve` resolves once the service has stopped.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(error.message);
    process.stderr.write(`${synopsis(error.topic)}\nRun "jobstore help${error.topic === 'main' ? '' : ` ${error.topic}`}" for more.\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      print(command.topic === 'serve' ? serveHelp(outputWidth()) : mainHelp(outputWidth()));
      return 0;
    case 'version':
      print(`jobstore ${version()}`);
      return 0;
    case 'serve':
      return serve(command);
  }
}
