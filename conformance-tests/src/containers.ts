// Kept apart from services.ts so that no published declaration names testcontainers' types:
// it is an optional peer, and a consumer without it must still type-check.
import type { ContainerSpec, ServiceResolution } from './services.js';

type Testcontainers = typeof import('testcontainers');
let runtime: Promise<Testcontainers | null> | undefined;

/**
 * testcontainers, if it loads and a container runtime answers; else null. It is imported lazily
 * because it is optional, and because some releases crash at import on some Node versions.
 */
export function loadTestcontainers(): Promise<Testcontainers | null> {
  runtime ??= (async () => {
    try {
      const testcontainers: Testcontainers = await import('testcontainers');
      await testcontainers.getContainerRuntimeClient();
      return testcontainers;
    } catch {
      return null;
    }
  })();
  return runtime;
}

export async function startContainer(testcontainers: Testcontainers, spec: ContainerSpec): Promise<ServiceResolution> {
  let container = new testcontainers.GenericContainer(spec.image).withExposedPorts(spec.port);
  if (spec.environment !== undefined) container = container.withEnvironment({ ...spec.environment });
  if (spec.command !== undefined) container = container.withCommand([...spec.command]);
  const started = await container.start();
  return {
    available: true,
    url: spec.url(started.getHost(), started.getMappedPort(spec.port)),
    source: 'container',
    stop: async () => {
      await started.stop();
    },
  };
}
