import { describeValue } from '@jobstore/core';
import type { z } from 'zod';
import { closestName } from '../closest-name.js';

type Issue = z.ZodError['issues'][number];
type Path = readonly PropertyKey[];

/** `JOBS[2].minute`, `SCHEDULER_AUTH.token`; `[2]` alone. */
export function pathText(path: Path): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text === '' ? '' : '.'}${String(part)}`;
  return text;
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** The issue to report: an unknown key first (a misspelt key is why its correct twin is "missing"). */
export function firstIssue(issues: readonly Issue[]): Issue | undefined {
  return issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0];
}

/**
 * Why a value is refused, in the words of `expected` (what it must be, by path pattern):
 * `must be an integer from 0 to 65535, got "abc"`, `is required`. Unknown keys are left to the
 * caller, which knows what to call them.
 */
export function issueReason(issue: Issue, root: unknown, expected: (pattern: string) => string | undefined): string {
  if (issue.code === 'invalid_key') return 'is not a valid name';
  const value = valueAt(root, issue.path);
  if (value === undefined) return 'is required';
  // Aliases and list positions are `*` in the patterns.
  const pattern = issue.path.map((part, i) => (typeof part === 'number' || (i === 1 && /^SCHEDULER_(JOBSTORES|EXECUTORS)$/.test(String(issue.path[0]))) ? '*' : String(part))).join('.');
  const must = expected(pattern);
  if (must !== undefined) return `must be ${must}, got ${describeValue(value)}`;
  return issue.code === 'custom' ? issue.message : `${issue.message.replace(/^Invalid input: /, '')}, got ${describeValue(value)}`;
}

/** Unknown keys and why: `X`, `is not a setting (did you mean Y?)`; for several, `X, Z`, `are not settings`. */
export function unknownKeys(keys: readonly string[], known: readonly string[], what: { one: string; many: string }): { keys: string; reason: string } {
  if (keys.length !== 1) return { keys: keys.join(', '), reason: what.many };
  const key = keys[0] as string;
  const guess = closestName(key, known);
  return { keys: key, reason: `${what.one}${guess === undefined ? '' : ` (did you mean ${guess}?)`}` };
}
