import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What each server does with its own benchmark tool, on this machine: the ceiling every figure
 * of a scheduler on that server can be read against.
 */

/** redis-benchmark's requests per second for one plain command (16 clients, `pipeline` deep). */
export function redisCeiling(url: string, command: 'set' | 'zadd', pipeline = 1): number {
  const { port, hostname } = new URL(url);
  const output = execFileSync('redis-benchmark', ['-h', hostname, '-p', port || '6379', '-t', command, '-n', '100000', '-c', '16', '-P', String(pipeline), '-q', '--csv']).toString();
  const line = output.split('\n').find((l) => l.toLowerCase().startsWith(`"${command}`)) ?? '';
  return Number(line.split(',')[1]?.replace(/"/g, ''));
}

/**
 * pgbench's transactions per second for a one-row update (each transaction updates one random
 * row of 10,000 and commits), 16 clients for `seconds`: the commit rate a job store on this
 * PostgreSQL is bound by.
 */
export function pgbenchCeiling(url: string, seconds = 10): number {
  const parsed = new URL(url);
  const args = ['-h', parsed.hostname, '-p', parsed.port || '5432', '-U', decodeURIComponent(parsed.username || 'postgres')];
  const database = parsed.pathname.slice(1) || 'postgres';
  const psql = (sql: string): void => void execFileSync('psql', [...args, '-d', database, '-q', '-c', sql]);
  psql('DROP TABLE IF EXISTS jobstore_ceiling; CREATE TABLE jobstore_ceiling (id integer PRIMARY KEY, n bigint NOT NULL); INSERT INTO jobstore_ceiling SELECT g, 0 FROM generate_series(1, 10000) g;');
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-pgbench-'));
  try {
    const script = join(dir, 'update.sql');
    writeFileSync(script, '\\set id random(1, 10000)\nUPDATE jobstore_ceiling SET n = n + 1 WHERE id = :id;\n');
    const output = execFileSync('pgbench', [...args, '-n', '-c', '16', '-j', '2', '-T', String(seconds), '-f', script, database]).toString();
    const tps = /tps = ([\d.]+)/.exec(output)?.[1];
    return Number(tps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    psql('DROP TABLE IF EXISTS jobstore_ceiling');
  }
}

/**
 * mariadb-slap's one-row updates per second (each updates one random row of 10,000 and commits,
 * 16 clients): the commit rate a job store on this MariaDB is bound by.
 */
export function mariadbCeiling(url: string, updates = 40_000): number {
  const parsed = new URL(url);
  const database = parsed.pathname.slice(1) || 'test';
  const args = [`--host=${parsed.hostname}`, `--port=${parsed.port || '3306'}`, `--user=${decodeURIComponent(parsed.username || 'root')}`];
  if (parsed.password !== '') args.push(`--password=${decodeURIComponent(parsed.password)}`);
  const mariadb = (sql: string): void => void execFileSync('mariadb', [...args, database, '-e', sql]);
  mariadb(
    'DROP TABLE IF EXISTS jobstore_ceiling; CREATE TABLE jobstore_ceiling (id integer PRIMARY KEY, n bigint NOT NULL) ENGINE=InnoDB; INSERT INTO jobstore_ceiling SELECT seq, 0 FROM seq_1_to_10000;',
  );
  try {
    // Two statements a round (pick the row, update it); --number-of-queries counts both, over all clients.
    const output = execFileSync('mariadb-slap', [
      ...args,
      `--create-schema=${database}`,
      '--concurrency=16',
      '--iterations=1',
      `--number-of-queries=${updates * 2}`,
      '--delimiter=;',
      '--query=SET @id = FLOOR(1 + RAND() * 10000); UPDATE jobstore_ceiling SET n = n + 1 WHERE id = @id',
    ]).toString();
    const seconds = Number(/Average number of seconds to run all queries: ([\d.]+)/.exec(output)?.[1]);
    return updates / seconds;
  } finally {
    mariadb('DROP TABLE IF EXISTS jobstore_ceiling');
  }
}
