import { SETTING_KEYS, SETTINGS } from '../config/settings.js';
import type { UsageTopic } from './errors.js';
import { GLOBAL_OPTIONS, optionLabel, SERVE_OPTIONS, type OptionSpec } from './options.js';
import { wrap } from './output.js';

/** Rows of a name and its description, the descriptions wrapped in a column of their own. */
function table(rows: readonly (readonly [string, string])[], width: number): string {
  const left = Math.min(Math.max(...rows.map(([name]) => name.length)) + 4, 30);
  const lines: string[] = [];
  for (const [name, text] of rows) {
    const wrapped = wrap(text, Math.max(20, width - left));
    // A name too long for its column gets a line of its own.
    if (name.length + 4 > left) lines.push(`  ${name}`);
    else lines.push(`  ${name.padEnd(left - 2)}${wrapped.shift() ?? ''}`);
    for (const line of wrapped) lines.push(`${' '.repeat(left)}${line}`);
  }
  return lines.join('\n');
}

const options = (list: readonly OptionSpec[], width: number): string =>
  table(
    list.map((option) => [optionLabel(option), option.help]),
    width,
  );

/** The usage lines alone, shown with a usage error. */
export function synopsis(topic: UsageTopic): string {
  if (topic === 'main') return 'usage: jobstore <command> [options]\n       jobstore help [<command>]';
  return 'usage: jobstore serve [-c <file>] [-p <n>] [--host <address>]\n                      [--shutdown-timeout <seconds>]';
}

/** `jobstore help`. */
export function mainHelp(width: number): string {
  return `${synopsis('main')}

Runs a jobstore scheduler as a service: Flask-APScheduler's REST API and a
dashboard over persistent job stores.

commands:
${table(
  [
    ['serve', 'run the scheduler, the REST API and the dashboard'],
    ['help [<command>]', "show this help, or a command's"],
  ],
  width,
)}

options:
${options(GLOBAL_OPTIONS, width)}

"jobstore help serve" lists the service's options, settings and exit status.
`;
}

/** `jobstore help serve`: every option and setting, and the exit status. */
export function serveHelp(width: number): string {
  return `${synopsis('serve')}

Runs the scheduler with the REST API and the dashboard until SIGINT (Ctrl-C) or
SIGTERM, then stops it, waiting for running jobs up to the shutdown timeout. A
second Ctrl-C exits at once.

options:
${options(SERVE_OPTIONS, width)}

settings (keys of the config file; an environment variable of the same name
overrides the file, and an option overrides both):
${table(
  SETTING_KEYS.map((key) => [key, SETTINGS[key].summary]),
  width,
)}

exit status:
${table(
  [
    ['0', 'stopped: every running job finished'],
    ['1', 'an error: a bad config, a failed start, or jobs still running at the shutdown timeout (abandoned)'],
    ['2', 'a usage error: an unknown command or option, a bad option value'],
    ['130', 'a second Ctrl-C (SIGINT) during the shutdown; 143 for a second SIGTERM'],
  ],
  width,
)}
`;
}
