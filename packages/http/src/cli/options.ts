import type { SettingKey } from '../config/settings.js';

/** An option of `jobstore serve`, as the parser takes it and the usage lists it. */
export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder (`<file>`); none for a flag. */
  readonly value?: string;
  /** The setting the option gives, overriding the config file and the environment. */
  readonly setting?: SettingKey;
  readonly help: string;
}

/** Options taken before or without a command. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', help: 'show help' },
  { name: 'version', short: 'v', help: 'print the version' },
];

export const SERVE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    short: 'c',
    value: '<file>',
    help: 'the configuration: a JSON file, or a JS module (.js, .mjs, .cjs) whose default export is it; relative to the working directory. Without one, the jobs live in ./jobstore.db (SQLite)',
  },
  { name: 'port', short: 'p', value: '<n>', setting: 'PORT', help: 'the port to listen on (PORT; default 5000; 0: any free port)' },
  { name: 'host', value: '<address>', setting: 'HOST', help: 'the address to listen on (HOST; default 127.0.0.1)' },
  {
    name: 'shutdown-timeout',
    value: '<seconds>',
    setting: 'SCHEDULER_SHUTDOWN_TIMEOUT',
    help: 'how long a shutdown waits for running jobs before it abandons them (SCHEDULER_SHUTDOWN_TIMEOUT; default 30)',
  },
  ...GLOBAL_OPTIONS,
];

/** `-c, --config <file>`, `    --host <address>`. */
export function optionLabel(option: OptionSpec): string {
  const names = `${option.short === undefined ? '    ' : `-${option.short}, `}--${option.name}`;
  return option.value === undefined ? names : `${names} ${option.value}`;
}
