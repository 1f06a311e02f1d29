import type { SERVICES } from '@jobstore/conformance';

/** A README install line: the one in `readme` that names `naming`. */
export interface ReadmeLine {
  readonly readme: string;
  readonly naming: string;
}

/** A README's TypeScript example: the code block that names `naming`, written as `file`. */
export interface ReadmeExample extends ReadmeLine {
  readonly file: string;
}

/** A fresh project a user would make for one backend (or the scheduler, the API, the suite). */
export interface Consumer {
  readonly name: string;
  /** Run in this order, exactly as the READMEs print them. */
  readonly install: readonly ReadmeLine[];
  /** Files of packaging/consumers/ copied in; the first is the program, unless there is an example. */
  readonly files: readonly string[];
  /** The program, taken from a README as it stands. */
  readonly example?: ReadmeExample;
  /** The server it runs against (its URL in JOBSTORE_URL); none for memory and SQLite. */
  readonly service?: keyof typeof SERVICES;
  /** JOBSTORE_URL when there is no service. */
  readonly url?: string;
  /** How the program runs: compiled with tsc and run by node (default), or by the project's vitest. */
  readonly runner?: 'node' | 'vitest';
  /** The steps the program reports when it works. */
  readonly steps: readonly string[];
  /**
   * Also installed with every driver its install lines name at its oldest supported version (it
   * always is at the newest). Set for the backends; the scheduler and HTTP consumers install the
   * same drivers as the sqlite one, and run at the newest only.
   */
  readonly oldest?: boolean;
}

const STORE_STEPS = ['added', 'conflict refused', 'listed', 'claimed', 'released'];
const SQL = 'packages/store-sql/README.md';

export const CONSUMERS: readonly Consumer[] = [
  { name: 'core', install: [{ readme: 'packages/core/README.md', naming: '@jobstore/core' }], files: ['core.ts'], steps: ['cron', 'refused', 'codec'] },
  { name: 'memory', install: [{ readme: 'packages/store-memory/README.md', naming: '@jobstore/store-memory' }], files: ['memory.ts', 'exercise.ts'], steps: STORE_STEPS },
  { name: 'sqlite', install: [{ readme: SQL, naming: 'better-sqlite3' }], files: ['sql.ts', 'exercise.ts'], url: 'sqlite:jobs.db', steps: STORE_STEPS, oldest: true },
  { name: 'postgres', install: [{ readme: SQL, naming: 'pg' }], files: ['sql.ts', 'exercise.ts'], service: 'postgres', steps: STORE_STEPS, oldest: true },
  { name: 'mariadb', install: [{ readme: SQL, naming: 'mysql2' }], files: ['sql.ts', 'exercise.ts'], service: 'mariadb', steps: STORE_STEPS, oldest: true },
  { name: 'redis', install: [{ readme: 'packages/store-redis/README.md', naming: 'ioredis' }], files: ['redis.ts', 'exercise.ts'], service: 'redis', steps: STORE_STEPS, oldest: true },
  {
    name: 'zookeeper',
    install: [{ readme: 'packages/store-zookeeper/README.md', naming: 'node-zookeeper-client' }],
    files: ['zookeeper.ts', 'exercise.ts'],
    service: 'zookeeper',
    steps: STORE_STEPS,
    oldest: true,
  },
  { name: 'etcd', install: [{ readme: 'packages/store-etcd/README.md', naming: 'etcd3' }], files: ['etcd.ts', 'exercise.ts'], service: 'etcd', steps: STORE_STEPS, oldest: true },
  { name: 'mongo', install: [{ readme: 'packages/store-mongo/README.md', naming: 'mongodb' }], files: ['mongo.ts', 'exercise.ts'], service: 'mongo', steps: STORE_STEPS, oldest: true },
  { name: 'scheduler', install: [{ readme: 'packages/scheduler/README.md', naming: '@jobstore/scheduler' }], files: ['scheduler.ts'], steps: ['added', 'listed', 'ran', 'removed when done'] },
  {
    name: 'http',
    install: [
      { readme: 'packages/http/README.md', naming: '@jobstore/http' },
      { readme: 'packages/http/README.md', naming: 'better-sqlite3' },
    ],
    files: ['http.ts'],
    steps: ['refused without a token', 'added', 'listed', 'removed'],
  },
  {
    name: 'conformance',
    install: [
      { readme: 'packages/store-memory/README.md', naming: '@jobstore/store-memory' },
      { readme: 'conformance-tests/README.md', naming: '@jobstore/conformance' },
    ],
    files: [],
    example: { readme: 'conformance-tests/README.md', naming: 'MemoryDatabase', file: 'conformance.test.ts' },
    runner: 'vitest',
    steps: [],
  },
];
