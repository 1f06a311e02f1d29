import { connect } from 'node:net';
import { loadTestcontainers, startContainer } from './containers.js';

/**
 * How the tests find a server for a backend, in this order:
 * 1. the URL in the backend's environment variable (`JOBSTORE_TEST_POSTGRES_URL`, ...);
 * 2. a container started with testcontainers, where a container runtime answers;
 * 3. a server the tests start themselves, when the spec says how (mongodb-memory-server);
 * 4. the usual local address (`127.0.0.1:5432`, ...).
 * When none answers: with `JOBSTORE_REQUIRE_SERVICES=1` (CI) the run fails, unless the backend is
 * named in `JOBSTORE_ALLOW_MISSING`; otherwise the backend's tests are skipped and the reason is printed.
 */
export interface ServiceSpec {
  /** `"postgres"`, `"redis"`, ... */
  readonly name: string;
  /** The environment variable that holds the server's URL. */
  readonly env: string;
  /** Where a locally installed server listens; absent when there is no usual local server. */
  readonly localUrl?: string;
  /** How to run the server in a container where a runtime exists. */
  readonly container?: ContainerSpec;
  /** The port to probe when a URL names none. */
  readonly defaultPort: number;
  /**
   * Starts a server the tests own (tried after the URL and the container); rejects, saying why,
   * when it cannot. Given by a backend's own tests, which hold the packages it needs.
   */
  readonly start?: () => Promise<StartedServer>;
}

/** A server started by {@link ServiceSpec.start}. */
export interface StartedServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** A server image to run with testcontainers. */
export interface ContainerSpec {
  readonly image: string;
  /** The port the server listens on inside the container. */
  readonly port: number;
  readonly environment?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  /** The URL for the mapped host and port. */
  url(host: string, port: number): string;
}

export type ServiceResolution =
  | {
      readonly available: true;
      readonly url: string;
      readonly source: 'env' | 'container' | 'started' | 'local';
      /** Stops a container this call started; does nothing for other sources. */
      stop(): Promise<void>;
    }
  | { readonly available: false; readonly reason: string };

/** The servers the backends' tests use. */
export const SERVICES = {
  postgres: {
    name: 'postgres',
    env: 'JOBSTORE_TEST_POSTGRES_URL',
    localUrl: 'postgres://postgres@127.0.0.1:5432/test',
    defaultPort: 5432,
    container: {
      image: 'postgres:15-alpine',
      port: 5432,
      environment: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
      url: (host, port) => `postgres://postgres@${host}:${port}/test`,
    },
  },
  mariadb: {
    name: 'mariadb',
    env: 'JOBSTORE_TEST_MARIADB_URL',
    localUrl: 'mysql://root@127.0.0.1:3306/test',
    defaultPort: 3306,
    container: {
      image: 'mariadb:10.11',
      port: 3306,
      environment: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_DATABASE: 'test' },
      url: (host, port) => `mysql://root@${host}:${port}/test`,
    },
  },
  mysql: {
    name: 'mysql',
    env: 'JOBSTORE_TEST_MYSQL_URL',
    defaultPort: 3306,
    container: {
      image: 'mysql:8.4',
      port: 3306,
      environment: { MYSQL_ALLOW_EMPTY_PASSWORD: '1', MYSQL_DATABASE: 'test' },
      url: (host, port) => `mysql://root@${host}:${port}/test`,
    },
  },
  redis: {
    name: 'redis',
    env: 'JOBSTORE_TEST_REDIS_URL',
    localUrl: 'redis://127.0.0.1:6379',
    defaultPort: 6379,
    container: { image: 'redis:7-alpine', port: 6379, url: (host, port) => `redis://${host}:${port}` },
  },
  zookeeper: {
    name: 'zookeeper',
    env: 'JOBSTORE_TEST_ZOOKEEPER_URL',
    localUrl: 'zookeeper://127.0.0.1:2181',
    defaultPort: 2181,
    container: { image: 'zookeeper:3.9', port: 2181, url: (host, port) => `zookeeper://${host}:${port}` },
  },
  etcd: {
    name: 'etcd',
    env: 'JOBSTORE_TEST_ETCD_URL',
    // scripts/etcd.sh starts one here (not on etcd's usual 2379, which a system etcd may hold).
    localUrl: 'http://127.0.0.1:23790',
    defaultPort: 23790,
    container: {
      image: 'quay.io/coreos/etcd:v3.5.17',
      port: 2379,
      command: ['etcd', '--listen-client-urls', 'http://0.0.0.0:2379', '--advertise-client-urls', 'http://127.0.0.1:2379'],
      url: (host, port) => `http://${host}:${port}`,
    },
  },
  mongo: {
    name: 'mongo',
    env: 'JOBSTORE_TEST_MONGO_URL',
    localUrl: 'mongodb://127.0.0.1:27017',
    defaultPort: 27017,
    // No generic container: a replica set must be initiated, which @testcontainers/mongodb does;
    // the store's tests start that, or mongodb-memory-server (see packages/store-mongo/test).
  },
} satisfies Record<string, ServiceSpec>;

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** True when `JOBSTORE_REQUIRE_SERVICES=1`: a missing server fails the run instead of skipping. */
export function requireServices(env: Env = process.env): boolean {
  return env['JOBSTORE_REQUIRE_SERVICES'] === '1';
}

/** Finds a server for `spec` (see {@link ServiceSpec}). Throws under JOBSTORE_REQUIRE_SERVICES=1 when none answers. */
export async function resolveService(spec: ServiceSpec, options: { env?: Env; timeoutMs?: number } = {}): Promise<ServiceResolution> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 2000;
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await reachable(fromEnv, spec.defaultPort, timeoutMs)) return found(fromEnv, 'env');
    return missing(spec, `nothing answers at ${redact(fromEnv)} (from ${spec.env})`, env);
  }
  if (spec.container !== undefined && env['JOBSTORE_TEST_CONTAINERS'] !== '0') {
    const testcontainers = await loadTestcontainers();
    if (testcontainers !== null) return startContainer(testcontainers, spec.container);
  }
  let notStarted = '';
  if (spec.start !== undefined) {
    try {
      const server = await spec.start();
      return { available: true, url: server.url, source: 'started', stop: () => server.stop() };
    } catch (error) {
      notStarted = `could not start one (${oneLine(error)}); `;
    }
  }
  if (spec.localUrl === undefined) {
    return missing(spec, `${notStarted}no local server is expected and no container runtime answers; set ${spec.env} to a server's URL`, env);
  }
  if (await reachable(spec.localUrl, spec.defaultPort, timeoutMs)) return found(spec.localUrl, 'local');
  return missing(spec, `${notStarted}cannot reach ${spec.name} at ${address(spec.localUrl, spec.defaultPort).join(':')}: is it running? Set ${spec.env} to use another server`, env);
}

/** True when testcontainers (an optional peer) loads and a container runtime answers. */
export async function containerRuntimeAvailable(): Promise<boolean> {
  return (await loadTestcontainers()) !== null;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 240);
}

function found(url: string, source: 'env' | 'local'): ServiceResolution {
  return { available: true, url, source, stop: async () => undefined };
}

/**
 * Backends CI may run without, by name: `JOBSTORE_ALLOW_MISSING=mysql,mongo` (servers that cannot
 * be had on the machine). Their tests are skipped, with the reason printed, even under
 * JOBSTORE_REQUIRE_SERVICES=1.
 */
export function allowedMissing(env: Env = process.env): string[] {
  return (env['JOBSTORE_ALLOW_MISSING'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function missing(spec: ServiceSpec, why: string, env: Env): ServiceResolution {
  const reason = `${spec.name}: ${why}`;
  if (requireServices(env) && !allowedMissing(env).includes(spec.name)) {
    throw new Error(`${reason} (JOBSTORE_REQUIRE_SERVICES=1, so a missing server fails the run)`);
  }
  console.warn(`[jobstore] skipping ${spec.name} tests: ${reason}`);
  return { available: false, reason };
}

/** Host and port of a URL (`scheme://user@host:port/db`) or of a bare `host:port` list's first entry. */
function address(url: string, defaultPort: number): [string, number] {
  try {
    const parsed = new URL(url.includes('://') ? url : `tcp://${url.split(',')[0] ?? ''}`);
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
    return [host, parsed.port === '' ? defaultPort : Number(parsed.port)];
  } catch {
    return ['127.0.0.1', defaultPort];
  }
}

function reachable(url: string, defaultPort: number, timeoutMs: number): Promise<boolean> {
  const [host, port] = address(url, defaultPort);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Hides a password in a URL before it is printed. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
