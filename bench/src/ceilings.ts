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
