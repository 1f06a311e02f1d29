import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tarballText } from './tarball.js';

/** A registry on 127.0.0.1 that serves the packed tarballs as if they were published. */
export interface LocalRegistry {
  /** Base URL, for `--@jobstore:registry=<url>`. */
  readonly url: string;
  /** The scope it serves, e.g. `@jobstore`. */
  readonly scope: string;
  close(): Promise<void>;
}

interface Version {
  readonly manifest: Record<string, unknown> & { name: string; version: string };
  readonly bytes: Buffer;
  readonly file: string;
}

/**
 * Serves one scope from tarballs; npm is pointed at it for that scope only, so every other package
 * comes from the real registry, resolved as a user's install would resolve it. Going through a
 * registry (not `npm install ./x.tgz`) checks the published manifests: peer ranges, `files`, bins.
 */
export async function startRegistry(scope: string, tarballs: ReadonlyMap<string, string>): Promise<LocalRegistry> {
  const packages = new Map<string, Version>();
  for (const [name, path] of tarballs) {
    const manifest = JSON.parse(tarballText(path, 'package.json')) as Version['manifest'];
    if (manifest.name !== name) throw new Error(`${path} holds ${manifest.name}, expected ${name}`);
    packages.set(name, { manifest, bytes: readFileSync(path), file: `${name.split('/').pop()!}-${manifest.version}.tgz` });
  }

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).slice(1);
    const tarball = /^(@[^/]+\/[^/]+)\/-\/([^/]+)$/.exec(path);
    const pkg = packages.get(tarball?.[1] ?? path);
    if (request.method !== 'GET' || pkg === undefined || (tarball !== null && tarball[2] !== pkg.file)) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (tarball !== null) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': pkg.bytes.length }).end(pkg.bytes);
      return;
    }
    const { manifest } = pkg;
    const dist = {
      tarball: `${base}/${manifest.name}/-/${pkg.file}`,
      integrity: `sha512-${createHash('sha512').update(pkg.bytes).digest('base64')}`,
      shasum: createHash('sha1').update(pkg.bytes).digest('hex'),
    };
    const packument = {
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: { [manifest.version]: { ...manifest, _id: `${manifest.name}@${manifest.version}`, dist } },
    };
    // Tarballs are re-packed under the same version: npm must not answer from its cache.
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    scope,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
