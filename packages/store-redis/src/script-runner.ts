import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A script sent by its SHA1 (EVALSHA), and in full once when the server does not have it yet. */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run<T>(client: Redis | Cluster, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    try {
      return (await client.evalsha(this.#sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await client.eval(this.#source, keys.length, ...keys, ...args)) as T;
    }
  }
}
