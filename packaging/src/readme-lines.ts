import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './workspace.js';

/** Every `npm install` line of @jobstore packages in the README's shell code blocks, as words (comments cut). */
export function installLines(readme: string): string[][] {
  const lines: string[][] = [];
  let inShell = false;
  for (const line of readFileSync(join(ROOT, readme), 'utf8').split('\n')) {
    if (/^```(sh|bash|shell)\s*$/.test(line)) inShell = true;
    else if (line.startsWith('```')) inShell = false;
    else if (inShell && /^npm (install|i) .*@jobstore\//.test(line)) lines.push(line.replace(/#.*$/, '').trim().split(/\s+/));
  }
  return lines;
}

/** The one install line of the README that names `word`; throws when there is none or several. */
export function installLine(readme: string, word: string): string[] {
  const matching = installLines(readme).filter((words) => words.includes(word));
  if (matching.length !== 1) throw new Error(`${readme}: expected one npm install line naming ${word}, found ${matching.length}`);
  return matching[0]!;
}

/** The one TypeScript code block of the README that names `word`, as it stands. */
export function codeExample(readme: string, word: string): string {
  const blocks = [...readFileSync(join(ROOT, readme), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  const matching = blocks.filter((block) => block.includes(word));
  if (matching.length !== 1) throw new Error(`${readme}: expected one ts code block naming ${word}, found ${matching.length}`);
  return matching[0]!;
}
