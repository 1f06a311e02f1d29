import { createServer, type Server } from 'node:net';
import { containerRuntimeAvailable, resolveService, SERVICES, type ServiceSpec } from '@jobstore/conformance';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

let server: Server;
let port: number;
let closedPort: number;

async function listen(): Promise<Server> {
  const s = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

function portOf(s: Server): number {
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  server = await listen();
  port = portOf(server);
  // A port that was just free: nothing listens there any more.
  const gone = await listen();
  closedPort = portOf(gone);
  await new Promise((resolve) => gone.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const spec = (localUrl?: string): ServiceSpec => ({
  name: 'fakedb',
  env: 'JOBSTORE_TEST_FAKEDB_URL',
  defaultPort: 1,
  ...(localUrl === undefined ? {} : { localUrl }),
});

describe('resolveService', () => {
  it('uses the URL from the environment variable when a server answers there', async () => {
    const found = await resolveService(spec('fake://127.0.0.1:1'), { env: { JOBSTORE_TEST_FAKEDB_URL: `fake://user:secret@127.0.0.1:${port}/db` } });
    expect(found).toMatchObject({ available: true, source: 'env', url: `fake://user:secret@127.0.0.1:${port}/db` });
  });

  it('falls back to the local address when no variable is set', async () => {
    const found = await resolveService(spec(`fake://127.0.0.1:${port}`), { env: {} });
    expect(found).toMatchObject({ available: true, source: 'local' });
  });

  it('skips with a printed reason that names the variable, hiding passwords, when nothing answers', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const missing = await resolveService(spec(), { env: { JOBSTORE_TEST_FAKEDB_URL: `fake://user:secret@127.0.0.1:${closedPort}` } });
      expect(missing.available).toBe(false);
      const reason = missing.available ? '' : missing.reason;
      expect(reason).toContain('JOBSTORE_TEST_FAKEDB_URL');
      expect(reason).toContain('user:***@');
      expect(reason).not.toContain('secret');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(reason));
      const local = await resolveService(spec(`fake://127.0.0.1:${closedPort}`), { env: {} });
      expect(local.available ? '' : local.reason).toMatch(new RegExp(`cannot reach fakedb at 127\\.0\\.0\\.1:${closedPort}: is it running\\? Set JOBSTORE_TEST_FAKEDB_URL`));
    } finally {
      warn.mockRestore();
    }
  });

  it('fails instead of skipping under JOBSTORE_REQUIRE_SERVICES=1', async () => {
    await expect(resolveService(spec(`fake://127.0.0.1:${closedPort}`), { env: { JOBSTORE_REQUIRE_SERVICES: '1' } })).rejects.toThrow(/cannot reach fakedb.*JOBSTORE_REQUIRE_SERVICES=1/);
    await expect(resolveService(spec(), { env: { JOBSTORE_REQUIRE_SERVICES: '1' } })).rejects.toThrow(/no local server is expected/);
  });

  it('with containers turned off, a spec that has a container image uses the local server', async () => {
    const withContainer: ServiceSpec = { ...spec(`fake://127.0.0.1:${port}`), container: { image: 'never/pulled', port: 1, url: () => 'unused' } };
    expect(await resolveService(withContainer, { env: { JOBSTORE_TEST_CONTAINERS: '0' } })).toMatchObject({ available: true, source: 'local' });
  });

  it('tells whether a container runtime answers, without hanging where none runs', async () => {
    const started = Date.now();
    const available = await containerRuntimeAvailable();
    if (!available) expect(Date.now() - started).toBeLessThan(20_000);
    else expect(typeof (await import('testcontainers')).GenericContainer).toBe('function');
  });

  it('knows every backend by an environment variable of the same form', () => {
    for (const [key, service] of Object.entries(SERVICES)) {
      expect(service.name).toBe(key);
      expect(service.env).toBe(`JOBSTORE_TEST_${key.toUpperCase()}_URL`);
    }
  });
});

describe('JOBSTORE_ALLOW_MISSING', () => {
  it('lets a backend named in it be skipped under JOBSTORE_REQUIRE_SERVICES=1, and no other', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const env = { JOBSTORE_REQUIRE_SERVICES: '1', JOBSTORE_ALLOW_MISSING: 'mongo, fakedb' };
      const skipped = await resolveService(spec(), { env });
      expect(skipped).toMatchObject({ available: false });
      await expect(resolveService({ ...spec(), name: 'other' }, { env })).rejects.toThrow(/JOBSTORE_REQUIRE_SERVICES=1/);
    } finally {
      warn.mockRestore();
    }
  });
});
