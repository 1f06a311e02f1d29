import { readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import semver from 'semver';
import { describe, expect, inject, it } from 'vitest';
import { CONSUMERS } from '../src/consumers.js';
import { consumerDrivers } from '../src/driver-variants.js';
import { DRIVER_NAMES, DRIVERS, isDriver } from '../src/drivers.js';
import { installLine, installLines } from '../src/readme-lines.js';
import { tarballFiles, tarballText } from '../src/tarball.js';
import { publicPackages, ROOT } from '../src/workspace.js';

interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  type?: string;
  repository?: { type: string; url: string; directory: string };
  keywords?: string[];
  engines?: { node?: string };
  exports?: Record<string, string | { types?: string; default?: string }>;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

const packages = publicPackages();
const tarballs = inject('tarballs');
/** Peers that are neither drivers nor @jobstore packages: the conformance suite's test tools. */
const TOOL_PEERS: Readonly<Record<string, readonly string[]>> = { '@jobstore/conformance': ['testcontainers', 'vitest'] };

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s, as packed for npm', (name, pkg) => {
  // Read once: every test of the package looks at the same tarball.
  const tarball = tarballs[name]!;
  const manifest = JSON.parse(tarballText(tarball, 'package.json')) as Manifest;
  const files = tarballFiles(tarball);

  it('has the fields a registry page and a user need', () => {
    expect(manifest.name).toMatch(/^@jobstore\/[a-z-]+$/);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.description?.length).toBeGreaterThan(20);
    expect(manifest.license).toBe('MIT');
    expect(manifest.type).toBe('module');
    expect(manifest.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) as string, directory: relative(ROOT, pkg.dir) });
    expect(manifest.keywords?.length).toBeGreaterThan(2);
    expect(manifest.engines?.node).toBe('>=20.19');
    expect(manifest.publishConfig?.access).toBe('public');
  });

  it('ships what users need and nothing else: built code with types, sources for the maps, README, LICENSE, CHANGELOG', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) expect(files).toContain(file);
    expect(files.filter((file) => !/^(dist|src)\/|^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(file))).toEqual([]);
    expect(files.filter((file) => /\.test\.|tsbuildinfo|(^|\/)test\//.test(file))).toEqual([]);
    // Every source a map names is in the package, so debuggers and editors find it.
    for (const map of files.filter((file) => file.endsWith('.map'))) {
      const { sources } = JSON.parse(tarballText(tarball, map)) as { sources: string[] };
      for (const source of sources) expect(files, `${map} names ${source}`).toContain(posix.normalize(posix.join(posix.dirname(map), source)));
    }
  });

  it('exports its entry with types, and every file its manifest points at exists', () => {
    const root = manifest.exports?.['.'];
    expect(root).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})].filter((path): path is string => path !== undefined);
    for (const target of targets) expect(files).toContain(posix.normalize(target));
    for (const bin of Object.values(manifest.bin ?? {})) expect(tarballText(tarball, posix.normalize(bin))).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('names real ranges (no workspace: left), takes drivers and @jobstore packages as peers, and tests with each peer', () => {
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies };
    expect(Object.entries(ranges).filter(([, range]) => range.startsWith('workspace:'))).toEqual([]);
    expect(Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@jobstore/'))).toEqual([]);
    if (name !== '@jobstore/core') expect(manifest.peerDependencies?.['@jobstore/core']).toBe(`^${manifest.version}`);
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) expect(manifest.devDependencies, `${peer} is a dev dependency too`).toHaveProperty(peer);
    for (const optional of Object.keys(manifest.peerDependenciesMeta ?? {})) expect(manifest.peerDependencies).toHaveProperty(optional);
  });

  it('takes each driver at exactly the range the packaging test installs at both ends, and is tested inside it', () => {
    const peers = Object.entries(manifest.peerDependencies ?? {}).filter(([peer]) => !peer.startsWith('@jobstore/') && !(TOOL_PEERS[name] ?? []).includes(peer));
    for (const [peer, range] of peers) {
      expect(isDriver(peer), `${peer} is missing from packaging/src/drivers.ts`).toBe(true);
      if (!isDriver(peer)) continue;
      expect(range, `${name}'s peer ${peer}`).toBe(DRIVERS[peer].range);
      // The workspace's own tests run a version the range admits.
      const dev = semver.minVersion(manifest.devDependencies?.[peer] ?? '');
      expect(dev !== null && semver.satisfies(dev, range), `${name}'s dev dependency ${peer}@${manifest.devDependencies?.[peer]} is inside ${range}`).toBe(true);
    }
  });

  it('says in its README how to install it and which module formats it supports', () => {
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/```sh\nnpm install /);
    expect(readme).toMatch(/## Module formats/);
    expect(readme).toMatch(/require\(\)/);
  });
});

it("runs every README's install lines in the packaging test: the root README's and each package's", () => {
  const tested = new Set(CONSUMERS.flatMap((consumer) => consumer.install.map((line) => installLine(line.readme, line.naming).join(' '))));
  const readmes = ['README.md', ...packages.map((pkg) => join(relative(ROOT, pkg.dir), 'README.md'))];
  const printed = readmes.flatMap((readme) => installLines(readme).map((words) => `${readme}: ${words.join(' ')}`));
  expect(printed.length).toBeGreaterThanOrEqual(packages.length + 8);
  expect(printed.filter((line) => !tested.has(line.slice(line.indexOf(': ') + 2)))).toEqual([]);
});

describe.each(DRIVER_NAMES.map((driver) => [driver, DRIVERS[driver]] as const))('the %s driver', (driver, { range, oldest, newest }) => {
  it('has a range whose lower bound is the oldest version the packaging test installs, and holds the newest it installs', () => {
    expect(semver.validRange(range)).not.toBeNull();
    expect(semver.minVersion(range)?.version).toBe(oldest);
    expect(semver.satisfies(newest, range)).toBe(true);
    expect(semver.gte(newest, oldest)).toBe(true);
  });

  it('is a peer of a package, and installed at its oldest and at its newest by a consumer', () => {
    const published = packages.filter((pkg) => (JSON.parse(tarballText(tarballs[pkg.name]!, 'package.json')) as Manifest).peerDependencies?.[driver] !== undefined);
    expect(published.length).toBeGreaterThan(0);
    const naming = CONSUMERS.filter((consumer) => consumerDrivers(consumer).includes(driver));
    expect(naming.length).toBeGreaterThan(0);
    expect(naming.filter((consumer) => consumer.oldest === true).length).toBeGreaterThan(0);
  });
});
