// vitest's global setup for `pnpm test`: what the tests need beyond the servers a machine keeps
// running (PostgreSQL, MariaDB, Redis), so that the README's one test command is all a newcomer
// or CI runs. ZooKeeper, etcd and Chromium come from Debian's packages through the scripts beside
// this file, which install and start them idempotently.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** CI=true (as CI systems set it), not CI=0 or CI=false. */
function onCi(env: NodeJS.ProcessEnv): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** Runs one of the scripts; its stdout on success, undefined (with the reason printed) on failure. */
function run(name: string, args: readonly string[], what: string): string | undefined {
  const result = spawnSync(script(name), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status === 0) return result.stdout.trim();
  console.warn(`[jobstore] ${what}: scripts/${name} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); the tests that need it are skipped, or fail on CI`);
  return undefined;
}

export default function setup(): () => void {
  const env = process.env;
  // On CI a backend whose server is missing fails the run rather than being skipped, except those
  // only a container runtime (MySQL 8) or a downloaded binary (MongoDB) can provide: these are
  // reported as skipped, with the reason, where neither can be had.
  if (onCi(env) && (env['JOBSTORE_REQUIRE_SERVICES'] ?? '') === '') env['JOBSTORE_REQUIRE_SERVICES'] = '1';
  env['JOBSTORE_ALLOW_MISSING'] ??= 'mysql,mongo';

  let zookeeper: string | undefined;
  if ((env['JOBSTORE_TEST_ZOOKEEPER_URL'] ?? '') === '') zookeeper = run('zookeeper.sh', ['start'], 'no ZooKeeper');
  let etcd: string | undefined;
  if ((env['JOBSTORE_TEST_ETCD_URL'] ?? '') === '') etcd = run('etcd.sh', ['start'], 'no etcd');
  if ((env['JOBSTORE_CHROMIUM'] ?? '') === '') {
    const chromium = run('chromium.sh', [], 'no Chromium for the dashboard test');
    if (chromium !== undefined && chromium !== '') env['JOBSTORE_CHROMIUM'] = chromium;
  }
  // Stops ZooKeeper and etcd only if this run started them.
  return () => {
    if (zookeeper === 'started') run('zookeeper.sh', ['stop'], 'stopping ZooKeeper');
    if (etcd === 'started') run('etcd.sh', ['stop'], 'stopping etcd');
  };
}
