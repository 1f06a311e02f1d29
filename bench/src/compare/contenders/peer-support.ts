/** What the peer adapters (BullMQ, pg-boss, Agenda) share: their installed versions, and the Redis keys under a prefix. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';

const require = createRequire(import.meta.url);

/**
 * `name version` of the installed package. Found from its entry point upwards, since some peers
 * (agenda, @agendajs/*) do not export `./package.json`.
 */
export function packageVersion(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version !== undefined) return `${name} ${pkg.version}`;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json for ${name}`);
    dir = parent;
  }
}

/** Calls `each` with every batch of keys matching `pattern` (SCAN, so the server is never blocked). */
async function scanKeys(redis: Redis, pattern: string, each: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await each(keys);
  } while (cursor !== '0');
}

/** The sum of MEMORY USAGE (every element counted: SAMPLES 0, as the jobstore Redis store's size is) of the keys under `prefix`. */
export async function redisPrefixBytes(redis: Redis, prefix: string): Promise<number> {
  let bytes = 0;
  await scanKeys(redis, `${prefix}*`, async (keys) => {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [error, value] of (await pipeline.exec()) ?? []) {
      if (error === null) bytes += Number(value ?? 0);
    }
  });
  return bytes;
}

/** Deletes every key under `prefix` (UNLINK: freed in the background, so big resets stay quick). */
export async function redisDeletePrefix(redis: Redis, prefix: string): Promise<void> {
  await scanKeys(redis, `${prefix}*`, async (keys) => {
    await redis.unlink(...keys);
  });
}

/** Logs a library's asynchronous errors (an EventEmitter's `error` with no listener would crash the process). */
export function logErrors(label: string, closing: () => boolean): (error: unknown) => void {
  return (error) => {
    if (!closing()) console.error(`${label}:`, error instanceof Error ? error.message : error);
  };
}
