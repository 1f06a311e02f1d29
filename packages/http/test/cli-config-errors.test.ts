import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './cli-process.js';

/** Runs `jobstore serve --config <name>` on a file of this content, in a fresh directory. */
async function refused(name: string, content: string): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  const cwd = tempDir();
  writeFileSync(join(cwd, name), content);
  return { ...(await run(['serve', '--config', name, '--port', '0'], { cwd })), cwd };
}

describe('jobstore serve: a config file that cannot be used is named, with what is wrong (exit status 1, stderr, no stack)', () => {
  it.each([
    ['a trailing comma', '{\n  "PORT": 5000,\n  "HOST": "127.0.0.1",\n}\n', 'service.json:3:22: invalid JSON: trailing comma before "}"'],
    ['a missing comma', '{\n  "PORT": 5000\n  "HOST": "127.0.0.1"\n}\n', 'service.json:3:3: invalid JSON: expected "," or "}" after a property value, found a double quote'],
    ['a comment', '{\n  "PORT": 5000, // the API\n  "HOST": "127.0.0.1"\n}\n', 'service.json:2:17: invalid JSON: comments are not allowed in JSON'],
    ['single quotes', "{\n  'PORT': 5000\n}\n", 'service.json:2:3: invalid JSON: property names must be in double quotes, not single quotes'],
    ['an unquoted key', '{\n  PORT: 5000\n}\n', 'service.json:2:3: invalid JSON: property names must be in double quotes'],
    ['a missing value', '{\n  "JOBS": [\n    { "id": "a", "func": },\n  ]\n}\n', 'service.json:3:26: invalid JSON: unexpected "}"; expected a value'],
    ['an unclosed string', '{\n  "SCHEDULER_TIMEZONE": "Europe/Berlin\n}\n', 'service.json:2:39: invalid JSON: a string cannot span lines (write \\n for a line break)'],
    ['a cut-off file', '{\n  "JOBS": [\n    {"id": "a", "func": "x:y"}', 'service.json:3:31: invalid JSON: unexpected end of the text; expected "," or "]"'],
    ['text after the object', '{ "PORT": 5000 }\n{ "HOST": "x" }\n', 'service.json:2:1: invalid JSON: unexpected "{" after the end of the JSON value'],
    ['columns in characters, not UTF-16 units', '{ "SCHEDULER_API_PREFIX": "/sch🙂", x }', 'service.json:1:36: invalid JSON: property names must be in double quotes'],
    ['an empty file', '', 'service.json:1:1: invalid JSON: the text is empty; expected a JSON value'],
    ['an array', '[{ "PORT": 5000 }]', 'service.json: the configuration must be a JSON object ({ "SCHEDULER_JOBSTORES": … }), got an array'],
    ['a bad value', '{ "PORT": "eighty" }', 'service.json: PORT: must be an integer from 0 to 65535, got "eighty"'],
    ['an unknown key', '{ "SCHEDULER_JOBSTORE": {} }', 'service.json: SCHEDULER_JOBSTORE: is not a setting (did you mean SCHEDULER_JOBSTORES?)'],
    ['a bad nested value', '{ "SCHEDULER_AUTH": { "type": "bearer", "token": "short" } }', 'service.json: SCHEDULER_AUTH.token: must be a string of at least 16 characters, got "short"'],
  ])('%s', async (_, content, message) => {
    expect(await refused('service.json', content)).toMatchObject({ code: 1, stdout: '', stderr: `jobstore: ${message}\n` });
  });

  it('names the job of JOBS that is wrong, by position and id, and the field', async () => {
    const jobs = [
      { id: 'heartbeat', func: './tasks.mjs:heartbeat', trigger: 'interval', seconds: 10 },
      { id: 'report', func: './tasks.mjs:report', trigger: 'cron', minute: '0' },
      { id: 'cleanup', func: './tasks.mjs:cleanup', trigger: 'cron', hour: '3', minute: '75' },
    ];
    expect(await refused('service.json', JSON.stringify({ JOBS: jobs }))).toMatchObject({ code: 1, stderr: 'jobstore: service.json: JOBS[2] "cleanup": minute: 75 is outside 0-59\n' });
    const misspelt = [{ id: 'a', func: 'x:y', trigger: 'interval', secnds: 5 }];
    expect(await refused('service.json', JSON.stringify({ JOBS: misspelt }))).toMatchObject({
      code: 1,
      stderr: 'jobstore: service.json: JOBS[0] "a": secnds: is not a field of a job (did you mean seconds?)\n',
    });
    const anonymous = [{ func: 'x:y', trigger: 'date', run_date: 'tomorrow' }];
    expect(await refused('service.json', JSON.stringify({ JOBS: anonymous }))).toMatchObject({
      code: 1,
      stderr: 'jobstore: service.json: JOBS[0]: run_date: expected a Date or an ISO 8601 date-time string, got "tomorrow"\n',
    });
  });

  it('says a file is missing, a directory or unreadable, with its full path', async () => {
    const cwd = tempDir();
    expect(await run(['serve', '--config', 'missing.json'], { cwd })).toMatchObject({ code: 1, stdout: '', stderr: `jobstore: config file not found: ${join(cwd, 'missing.json')}\n` });
    expect(await run(['serve', '--config', 'missing.mjs'], { cwd })).toMatchObject({ code: 1, stderr: `jobstore: config file not found: ${join(cwd, 'missing.mjs')}\n` });
    mkdirSync(join(cwd, 'conf.json'));
    expect(await run(['serve', '--config', 'conf.json'], { cwd })).toMatchObject({ code: 1, stderr: `jobstore: config file ${join(cwd, 'conf.json')} is a directory\n` });
    // root reads any file: there is nothing to refuse then.
    if (process.getuid?.() !== 0) {
      writeFileSync(join(cwd, 'secret.json'), '{}');
      chmodSync(join(cwd, 'secret.json'), 0o000);
      expect(await run(['serve', '--config', 'secret.json'], { cwd })).toMatchObject({ code: 1, stderr: `jobstore: cannot read config file ${join(cwd, 'secret.json')}: permission denied\n` });
    }
    expect(await run(['serve', '--config', 'service.yaml'], { cwd })).toMatchObject({ code: 1, stderr: 'jobstore: service.yaml: a config file is .json, or a JS module (.js, .mjs or .cjs)\n' });
  });

  it('says what is wrong with a JS config module', async () => {
    expect(await refused('service.mjs', 'export default 42;\n')).toMatchObject({
      code: 1,
      stderr: "jobstore: service.mjs: the config module's default export must be the configuration object, got 42\n",
    });
    expect(await refused('service.mjs', 'export default null;\n')).toMatchObject({
      code: 1,
      stderr: "jobstore: service.mjs: the config module's default export must be the configuration object, got null\n",
    });
    expect(await refused('service.mjs', 'export default () => ({});\n')).toMatchObject({
      code: 1,
      stderr: "jobstore: service.mjs: the config module's default export must be the configuration object, got [function default]\n",
    });
    expect(await refused('service.mjs', 'export const PORT = 5000;\n')).toMatchObject({
      code: 1,
      stderr: 'jobstore: service.mjs: the config module has no default export (export default { SCHEDULER_JOBSTORES: … })\n',
    });
    expect(await refused('service.mjs', '\nthrow new Error("no database password");\n')).toMatchObject({
      code: 1,
      stderr: 'jobstore: service.mjs: the config module failed to load: no database password (line 2, column 7)\n',
    });
    expect(await refused('service.cjs', 'module.exports = { PORT: "http" };\n')).toMatchObject({ code: 1, stderr: 'jobstore: service.cjs: PORT: must be an integer from 0 to 65535, got "http"\n' });
    const syntax = await refused('service.mjs', 'export default {\n  PORT: 5000,,\n};\n');
    expect(syntax).toMatchObject({ code: 1, stdout: '' });
    expect(syntax.stderr).toMatch(/^jobstore: service\.mjs: the config module failed to load: Unexpected token ','\n$/);
  });
});
