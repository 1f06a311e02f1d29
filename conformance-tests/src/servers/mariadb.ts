import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { childServer, type OwnServer } from './own-server.js';

const exec = promisify(execFile);

/**
 * A MariaDB server of the test's own ({@link OwnServer}), from the machine's `mariadbd` and
 * `mariadb-install-db` (Debian's mariadb-server): root without a password, a database `test`.
 */
export async function startMariaDb(): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-mariadb-'));
  const data = join(dir, 'data');
  const port = await freePort();
  // --user=root: the test may run as root, which mariadbd otherwise refuses.
  await exec('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve']);
  const server = childServer({
    command: 'mariadbd',
    args: [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'sock')}`,
      '--skip-name-resolve',
      `--log-error=${join(dir, 'error.log')}`,
      '--innodb-buffer-pool-size=64M',
      '--max-connections=500',
    ],
    port,
    url: `mysql://root@127.0.0.1:${port}/test`,
    dir,
    what: 'MariaDB',
  });
  await server.start();
  await exec('mariadb', ['-h', '127.0.0.1', '-P', String(port), '-u', 'root', '-e', 'CREATE DATABASE IF NOT EXISTS test']);
  return server;
}
