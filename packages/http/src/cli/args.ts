import { describeValue } from '@jobstore/core';
import { closestName } from '../closest-name.js';
import { settingValue } from '../config/from-text.js';
import { SETTINGS } from '../config/settings.js';
import type { ServiceConfig } from '../config.js';
import { UsageError, type UsageTopic } from './errors.js';
import { GLOBAL_OPTIONS, SERVE_OPTIONS, type OptionSpec } from './options.js';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help'; readonly topic: UsageTopic }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'serve';
      /** The config file as given (relative to the working directory). */
      readonly config: string | undefined;
      /** Settings given as options, validated. */
      readonly settings: Readonly<Partial<ServiceConfig>>;
    };

const COMMANDS = ['serve', 'help'];

/** A token that is an option rather than a value (`-1` is a value). */
const looksLikeOption = (token: string): boolean => /^-(-|[A-Za-z])/.test(token);

/**
 * Reads the command line, in order, as the usual tools do: `--name value`, `--name=value`,
 * `-n value`, `-nvalue`; `--` ends the options. `--help` and `--version` answer at once.
 * Throws UsageError naming what is wrong.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  // Only the first token can be a global option: `--help` and `--version` answer at once, `--` ends the options.
  const first = argv[0];
  if (first !== undefined && first !== '--' && looksLikeOption(first)) {
    const option = findOption(first, GLOBAL_OPTIONS, 'main');
    if (option.inline !== undefined) throw new UsageError(`--${option.spec.name}: takes no value`, 'main');
    return option.spec.name === 'help' ? { kind: 'help', topic: helpTopic(argv[1]) } : { kind: 'version' };
  }
  const i = first === '--' ? 1 : 0;
  const command = argv[i];
  if (command === undefined) throw new UsageError('no command given', 'main');
  const rest = argv.slice(i + 1);
  if (command === 'help') {
    if (rest.length > 1) throw new UsageError(`help takes one command name, got ${rest.length}`, 'main');
    return { kind: 'help', topic: helpTopic(rest[0]) };
  }
  if (command === 'serve') return parseServe(rest);
  const guess = closestName(command, COMMANDS);
  throw new UsageError(`unknown command ${JSON.stringify(command)}${guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`}`, 'main');
}

function helpTopic(name: string | undefined): UsageTopic {
  if (name === undefined || name === 'help' || looksLikeOption(name)) return 'main';
  if (name === 'serve') return 'serve';
  throw new UsageError(`unknown command ${JSON.stringify(name)}`, 'main');
}

function parseServe(argv: readonly string[]): Command {
  let config: string | undefined;
  const settings: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      const extra = argv[i + 1];
      if (extra !== undefined) throw new UsageError(`serve takes no arguments, got ${JSON.stringify(extra)}`, 'serve');
      break;
    }
    if (!looksLikeOption(token)) throw new UsageError(`serve takes no arguments, got ${JSON.stringify(token)}`, 'serve');
    const { spec, inline } = findOption(token, SERVE_OPTIONS, 'serve');
    const label = `--${spec.name}`;
    if (spec.value === undefined) {
      if (inline !== undefined) throw new UsageError(`${label}: takes no value`, 'serve');
      if (spec.name === 'help') return { kind: 'help', topic: 'serve' };
      return { kind: 'version' };
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !looksLikeOption(next)) {
        value = next;
        i++;
      }
    }
    const wanted = spec.setting === undefined ? 'a file' : SETTINGS[spec.setting].expected;
    if (value === undefined || value === '') throw new UsageError(`${label}: needs a value (${wanted})`, 'serve');
    if (spec.setting === undefined) {
      config = value;
      continue;
    }
    const read = settingValue(spec.setting, value);
    if (!read.ok) throw new UsageError(`${label}: ${read.reason}`, 'serve');
    settings[spec.setting] = read.value;
  }
  // Each value passed its setting's schema.
  return { kind: 'serve', config, settings: settings as Partial<ServiceConfig> };
}

/** The option a token names, and its value when given as `--name=value` or `-nvalue`. */
function findOption(token: string, specs: readonly OptionSpec[], topic: UsageTopic): { spec: OptionSpec; inline: string | undefined } {
  if (token.startsWith('--')) {
    const at = token.indexOf('=');
    const name = at === -1 ? token.slice(2) : token.slice(2, at);
    const spec = specs.find((option) => option.name === name);
    if (spec === undefined) {
      const guess = closestName(
        name,
        specs.map((option) => option.name),
      );
      throw new UsageError(`unknown option ${describeOption(`--${name}`)}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`, topic);
    }
    return { spec, inline: at === -1 ? undefined : token.slice(at + 1) };
  }
  const spec = specs.find((option) => option.short === token[1]);
  if (spec === undefined || (spec.value === undefined && token.length > 2)) throw new UsageError(`unknown option ${describeOption(token)}`, topic);
  return { spec, inline: token.length > 2 ? token.slice(2) : undefined };
}

/** An option as typed, quoted only when it holds something odd. */
const describeOption = (text: string): string => (/^[-\w]+$/.test(text) ? text : describeValue(text));
