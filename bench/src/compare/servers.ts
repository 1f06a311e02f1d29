import { connect } from 'node:net';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { MARIADB_URL, PG_URL, REDIS_URL, ZOOKEEPER_HOSTS } from '../urls.js';

/** ZooKeeper's `srvr` four-letter word: its version line. */
function zookeeperVersion(): Promise<string> {
  const [host = '127.0.0.1', port = '2181'] = (ZOOKEEPER_HOSTS.split(',')[0] ?? '').split(':');
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(Number(port), host, () => socket.write('srvr'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(/Zookeeper version: ([^,-]+)/.exec(text)?.[1]?.trim() ?? 'unknown'));
    socket.on('error', () => resolve('unreachable'));
  });
}

/** The versions of the servers the run used, for the results' header. */
export async function serverVersions(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await client.end();
  const redis = new Redis(REDIS_URL);
  const info = await redis.info('server');
  redis.disconnect();
  const maria = await mysql.createConnection(MARIADB_URL);
  const [rows] = await maria.query('SELECT VERSION() AS v');
  await maria.end();
  const mariadb = (rows as { v: string }[])[0]?.v ?? '?';
  return `PostgreSQL ${postgres.split(' ')[0]}, Redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? '?'}, MariaDB ${mariadb.split('-')[0]}, ZooKeeper ${await zookeeperVersion()}`;
}
