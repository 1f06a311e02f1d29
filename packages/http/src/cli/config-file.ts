import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue } from '@jobstore/core';
import { parseJson } from '../json-syntax.js';
import { UserError } from './errors.js';

/** A configuration read from a file: its keys, what errors call it, and where its task paths start from. */
export interface ConfigFile {
  readonly source: Readonly<Record<string, unknown>>;
  /** The path as the user gave it. */
  readonly name: string;
  readonly baseDir: string;
}

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Why a file cannot be read, in words (the full path, so a wrong working directory shows). */
function unreadable(path: string, error: unknown): UserError {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UserError(`config file not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`cannot read config file ${path}: permission denied`);
  if (code === 'EISDIR') return new UserError(`config file ${path} is a directory`);
  return new UserError(`cannot read config file ${path}: ${(error as Error).message}`);
}

/**
 * Reads `--config`: a `.json` file, or a `.js`/`.mjs`/`.cjs` module whose default export is the
 * configuration object. The path is relative to the working directory; the config's TASKS are
 * relative to the file. Throws UserError naming the file and what is wrong with it, with the
 * line and column of a JSON syntax error.
 */
export async function readConfigFile(given: string): Promise<ConfigFile> {
  const path = resolve(given);
  const extension = extname(path).toLowerCase();
  const baseDir = dirname(path);
  if (extension === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw unreadable(path, error);
    }
    const parsed = parseJson(text);
    if (!parsed.ok) throw new UserError(`${given}:${parsed.error.line}:${parsed.error.column}: invalid JSON: ${parsed.error.reason}`);
    if (!isPlainObject(parsed.value))
      throw new UserError(`${given}: the configuration must be a JSON object ({ "SCHEDULER_JOBSTORES": … }), got ${Array.isArray(parsed.value) ? 'an array' : describeValue(parsed.value)}`);
    return { source: parsed.value, name: given, baseDir };
  }
  if (!MODULE_EXTENSIONS.includes(extension)) throw new UserError(`${given}: a config file is .json, or a JS module (.js, .mjs or .cjs)`);
  try {
    if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (error) {
    throw unreadable(path, error);
  }
  let module: Record<string, unknown>;
  const url = pathToFileURL(path).href;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${given}: the config module failed to load: ${moduleError(error, url)}`);
  }
  if (!('default' in module)) throw new UserError(`${given}: the config module has no default export (export default { SCHEDULER_JOBSTORES: … })`);
  if (!isPlainObject(module['default'])) throw new UserError(`${given}: the config module's default export must be the configuration object, got ${describeValue(module['default'])}`);
  return { source: module['default'], name: given, baseDir };
}

/** What a module threw while loading, with where in it when its stack says (Node gives no place for a syntax error). */
function moduleError(error: unknown, url: string): string {
  if (!(error instanceof Error)) return describeValue(error);
  const stack = error.stack ?? '';
  const at = stack.indexOf(`${url}:`);
  const place = at === -1 ? null : /^:(\d+):(\d+)/.exec(stack.slice(at + url.length));
  return place === null ? error.message : `${error.message} (line ${place[1]}, column ${place[2]})`;
}
