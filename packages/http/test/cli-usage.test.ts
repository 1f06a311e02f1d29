import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../src/config/settings.js';
import { run } from './cli-process.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const MAIN_USAGE = 'usage: jobstore <command> [options]\n       jobstore help [<command>]\nRun "jobstore help" for more.\n';
const SERVE_USAGE = 'usage: jobstore serve [-c <file>] [-p <n>] [--host <address>]\n                      [--shutdown-timeout <seconds>]\nRun "jobstore help serve" for more.\n';

describe('jobstore: help and version', () => {
  it.each([['--version'], ['-v'], ['serve', '--version']])('%s prints the version, exit status 0', async (...args) => {
    expect(await run(args)).toMatchObject({ code: 0, stdout: `jobstore ${version}\n`, stderr: '' });
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage to stdout, exit status 0', async (...args) => {
    const { code, stdout, stderr } = await run(args);
    expect([code, stderr]).toStrictEqual([0, '']);
    expect(stdout).toMatch(/^usage: jobstore <command> \[options\]\n/);
    expect(stdout).toContain('\n  serve ');
    expect(stdout).toContain('"jobstore help serve"');
  });

  it.each([
    ['help', 'serve'],
    ['serve', '--help'],
    ['serve', '-h'],
    ['--help', 'serve'],
  ])('%s %s prints every option and setting of serve, and the exit status, in 80 columns', async (...args) => {
    const { code, stdout, stderr } = await run(args);
    expect([code, stderr]).toStrictEqual([0, '']);
    expect(stdout).toMatch(/^usage: jobstore serve /);
    for (const option of ['-c, --config <file>', '-p, --port <n>', '--host <address>', '--shutdown-timeout <seconds>', '-h, --help', '-v, --version']) expect(stdout).toContain(option);
    // A name too long for the column stands on its own line, its text below it, as long options do.
    for (const key of SETTING_KEYS) expect(stdout).toMatch(new RegExp(`^  ${key}( |\n {30}\\S)`, 'm'));
    for (const status of ['0', '1', '2', '130']) expect(stdout).toMatch(new RegExp(`^  ${status} +\\S`, 'm'));
    for (const line of stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe('jobstore: usage errors are named on stderr with the usage, exit status 2', () => {
  it.each([
    [[], 'no command given', MAIN_USAGE],
    [['run'], 'unknown command "run"', MAIN_USAGE],
    [['serv'], 'unknown command "serv" (did you mean "serve"?)', MAIN_USAGE],
    [['help', 'start'], 'unknown command "start"', MAIN_USAGE],
    [['--verbose'], 'unknown option --verbose', MAIN_USAGE],
    [['serve', '--prot', '80'], 'unknown option --prot (did you mean --port?)', SERVE_USAGE],
    [['serve', '-x'], 'unknown option -x', SERVE_USAGE],
    [['serve', 'now'], 'serve takes no arguments, got "now"', SERVE_USAGE],
    [['serve', '--help=yes'], '--help: takes no value', SERVE_USAGE],
    [['serve', '--port'], '--port: needs a value (an integer from 0 to 65535)', SERVE_USAGE],
    [['serve', '--port', '--host', 'localhost'], '--port: needs a value (an integer from 0 to 65535)', SERVE_USAGE],
    [['serve', '--port', 'abc'], '--port: must be an integer from 0 to 65535, got "abc"', SERVE_USAGE],
    [['serve', '-p70000'], '--port: must be an integer from 0 to 65535, got 70000', SERVE_USAGE],
    [['serve', '--host='], '--host: needs a value (a host name or IP address)', SERVE_USAGE],
    [['serve', '--config'], '--config: needs a value (a file)', SERVE_USAGE],
    [['serve', '--shutdown-timeout', '0'], '--shutdown-timeout: must be a number of seconds greater than 0, got 0', SERVE_USAGE],
    [['serve', '--shutdown-timeout=soon'], '--shutdown-timeout: must be a number of seconds greater than 0, got "soon"', SERVE_USAGE],
  ])('jobstore %j', async (args, message, usage) => {
    expect(await run(args)).toMatchObject({ code: 2, stdout: '', stderr: `jobstore: ${message}\n${usage}` });
  });
});
