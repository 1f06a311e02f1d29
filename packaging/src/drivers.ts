import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import semver from 'semver';
import { userEnv } from './project.js';

/** A database driver the @jobstore packages take as a peer dependency. */
export interface Driver {
  /** The peer range every package that takes this driver declares (checked by the manifest test). */
  readonly range: string;
  /** The oldest version supported: the range's lower bound, installed and run by the packaging test. */
  readonly oldest: string;
  /**
   * The newest version verified, installed and run by the packaging test. Written down, not looked
   * up, so that CI passes or fails on this repository's changes, not on the day's npm releases;
   * `JOBSTORE_DRIVERS=published` tries the newest release inside the range instead, to verify one
   * before it is written here.
   */
  readonly newest: string;
}

/**
 * The supported versions of every driver, in one place: the packaging test runs each backend's
 * program with its driver at `oldest` and at `newest`.
 */
export const DRIVERS = {
  // 0.29 declares Node 22 in its engines (npm on Node 20 picks 0.28 for a bare `kysely`); it runs on Node 20.
  kysely: { range: '^0.28.0 || ^0.29.0', oldest: '0.28.0', newest: '0.29.9' },
  // 8.0.0 to 8.0.2 never finish connecting on Node 20: the program ends with its first query pending.
  pg: { range: '^8.0.3', oldest: '8.0.3', newest: '8.23.1' },
  mysql2: { range: '^3.0.0', oldest: '3.0.0', newest: '3.24.6' },
  // 13 needs Node 22 (it installs on Node 20, then crashes): it cannot be tried on this Node 20.
  'better-sqlite3': { range: '^11.0.0 || ^12.0.0', oldest: '11.0.0', newest: '12.11.1' },
  // Before 5.3.0 there is no named `Redis` export, which the store imports as an ES module.
  // 6.1.0's declarations import redis-errors, whose types it lists only as a dev dependency: with
  // skipLibCheck off a strict build fails there, so @jobstore/store-redis depends on @types/redis-errors.
  ioredis: { range: '^5.3.0 || ^6.0.0', oldest: '5.3.0', newest: '6.1.0' },
  'node-zookeeper-client': { range: '^1.0.0', oldest: '1.0.0', newest: '1.1.3' },
  // 1.1.0 brings cockatiel 1 and 1.1.1 cockatiel 3 (its fault handling); the API the store uses is the same in both.
  etcd3: { range: '^1.1.0', oldest: '1.1.0', newest: '1.1.2' },
  // Installed, compiled and loaded only where no MongoDB server is at hand (as here).
  mongodb: { range: '^6.0.0 || ^7.0.0', oldest: '6.0.0', newest: '7.9.1' },
} as const satisfies Readonly<Record<string, Driver>>;

export type DriverName = keyof typeof DRIVERS;

export function isDriver(name: string): name is DriverName {
  return Object.hasOwn(DRIVERS, name);
}

export const DRIVER_NAMES: readonly DriverName[] = Object.keys(DRIVERS).filter(isDriver);

const run = promisify(execFile);

/** The version the packaging test runs as the driver's newest: the table's, or with `JOBSTORE_DRIVERS=published` npm's newest inside the range. */
export function newestToRun(name: DriverName, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return env['JOBSTORE_DRIVERS'] === 'published' ? newestPublished(name) : Promise.resolve(DRIVERS[name].newest);
}

/** The newest release npm's registry has inside the driver's range (prereleases never count). */
export async function newestPublished(name: DriverName): Promise<string> {
  const { stdout } = await run('npm', ['view', name, 'versions', '--json'], { env: userEnv({}), maxBuffer: 16 * 1024 * 1024 });
  const newest = semver.maxSatisfying(JSON.parse(stdout) as string[], DRIVERS[name].range);
  if (newest === null) throw new Error(`npm's registry has no ${name} release inside ${DRIVERS[name].range}`);
  return newest;
}
