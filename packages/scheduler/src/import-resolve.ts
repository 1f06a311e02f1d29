import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * The file a package specifier names for `import` from `fromDir`, or null when no such package is
 * installed or it does not export that path. Node 20 has no "resolve for import from this folder"
 * (`import.meta.resolve` takes no parent there), and `require.resolve` applies the `require`
 * condition, refusing a package that exports only for import and picking the CommonJS build of a
 * dual one. So the package is found as Node finds it (node_modules folders from `fromDir` up) and
 * its `exports` read with the conditions `import`, `node` and `default`; a package without
 * `exports` is resolved as require would (`main`, index.js, a file path). Subpath patterns (`./*`)
 * are not followed.
 */
export function resolvePackage(fromDir: string, specifier: string): string | null {
  const { name, subpath } = splitSpecifier(specifier);
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const packageDir = join(dir, 'node_modules', name);
    const manifest = join(packageDir, 'package.json');
    if (existsSync(manifest)) {
      const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown };
      if (exports === undefined) return requireResolve(dir, specifier);
      const target = chooseTarget(entryFor(exports, subpath));
      return target === null ? null : join(packageDir, target);
    }
    if (dirname(dir) === dir) return null;
  }
}

function requireResolve(fromDir: string, specifier: string): string | null {
  try {
    return createRequire(join(fromDir, 'noop.js')).resolve(specifier);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

const CONDITIONS = new Set(['import', 'node', 'default']);

/** `@scope/name/sub/path` → `@scope/name` and `./sub/path`. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return { name: parts.slice(0, length).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** The `exports` entry of `subpath`: a map of subpaths, or (for `.`) the whole field. */
function entryFor(exports: unknown, subpath: string): unknown {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  if (isSubpathMap) return Object.hasOwn(exports, subpath) ? (exports as Record<string, unknown>)[subpath] : null;
  return subpath === '.' ? exports : null;
}

/** The first target an import under Node would take from a conditional entry, in the entry's order. */
function chooseTarget(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const candidate of entry) {
      const target = chooseTarget(candidate);
      if (target !== null) return target;
    }
    return null;
  }
  if (typeof entry === 'object' && entry !== null) {
    for (const [condition, value] of Object.entries(entry)) {
      if (!CONDITIONS.has(condition)) continue;
      const target = chooseTarget(value);
      if (target !== null) return target;
    }
  }
  return null;
}
