import { execFileSync } from 'node:child_process';

/** The paths inside a packed tarball, without the leading `package/`. */
export function tarballFiles(path: string): string[] {
  return execFileSync('tar', ['-tzf', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** One file of a packed tarball, as text. */
export function tarballText(path: string, file: string): string {
  return execFileSync('tar', ['-xzOf', path, `package/${file}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
