/**
 * What the command writes, and where: results and progress to stdout, problems to stderr, each
 * line prefixed `jobstore:` so it can be told apart from what tasks print.
 */
import type { ServiceLogger } from '../logger.js';

const PREFIX = 'jobstore: ';

/** Output width: the terminal's, at most 80 columns (40 at least); 80 when not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return Math.max(40, Math.min(80, stream.isTTY ? stream.columns : 80));
}

/** `text` in lines of at most `width` columns, broken between words. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Text as it is, to stdout (help, the version). */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A line of progress, to stdout. */
export function info(message: string): void {
  process.stdout.write(`${PREFIX}${message}\n`);
}

/** A problem that ends the command, to stderr. */
export function fail(message: string): void {
  process.stderr.write(`${PREFIX}${message}\n`);
}

/** A problem or a warning (`kind` "warning: ") to stderr; a long one wrapped to the terminal, each line prefixed. */
export function problem(message: string, kind: '' | 'warning: ' = ''): void {
  const prefix = `${PREFIX}${kind}`;
  for (const line of wrap(message, outputWidth(process.stderr) - prefix.length)) process.stderr.write(`${prefix}${line}\n`);
}

/** A warning, to stderr. */
export function warn(message: string): void {
  problem(message, 'warning: ');
}

/** A service message with the command's prefix (the service's own messages may carry it already). */
const prefixed = (message: string, kind = ''): string => `${PREFIX}${kind}${message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message}\n`;

/**
 * The logger the command gives the service: info to stdout, warnings and errors to stderr, one
 * line per message as the logger's contract says (a log collector reads them line by line).
 */
export const consoleLogger: ServiceLogger = {
  info: (message) => void process.stdout.write(prefixed(message)),
  warn: (message) => void process.stderr.write(prefixed(message, 'warning: ')),
  error: (message) => void process.stderr.write(prefixed(message, 'error: ')),
};
