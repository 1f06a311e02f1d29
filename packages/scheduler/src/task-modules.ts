import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A task module specifier as import() takes it: relative and absolute paths resolved against `baseDir`; URLs and package names kept. */
export function moduleUrl(specifier: string | URL, baseDir: string): string {
  if (specifier instanceof URL) return specifier.href;
  if (isPath(specifier)) return pathToFileURL(resolve(baseDir, specifier)).href;
  return specifier;
}

function isPath(specifier: string): boolean {
  // Before the scheme test: a Windows path (C:\tasks.mjs) looks like one.
  return specifier.startsWith('.') || isAbsolute(specifier);
}

/**
 * What identifies a module's export whichever way the module is spelled: the module file's real
 * path (relative paths against `baseDir`, `file:` URLs, `..` segments and symlinks resolved)
 * and the export's name. null when the module is not a file.
 *
 * Only the file system is asked (realpath): nothing is imported. With `bare`, a package name is
 * resolved as import() would resolve it from here; that is for modules already imported, never
 * for names read from a store.
 */
export function taskFileKey(module: string, exportName: string, baseDir: string, options: { bare?: boolean } = {}): string | null {
  let path: string;
  try {
    if (module.startsWith('file:')) path = fileURLToPath(module);
    else if (isPath(module)) path = resolve(baseDir, module);
    else if (SCHEME.test(module) || options.bare !== true) return null;
    else {
      const url = import.meta.resolve(module);
      if (!url.startsWith('file:')) return null;
      path = fileURLToPath(url);
    }
  } catch {
    return null;
  }
  return `${realPath(path)}\u0000${exportName}`;
}

/** The path with symlinks resolved; as given when it does not exist (it may yet, or never). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
