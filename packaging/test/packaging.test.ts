import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, resolveService, SERVICES } from '@jobstore/conformance';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunnerTask } from 'vitest';
import { CONSUMERS, type Consumer } from '../src/consumers.js';
import { installCommands, variantsOf, type Variant } from '../src/driver-variants.js';
import { limit } from '../src/limit.js';
import { startPrebuiltMirror, workspaceBetterSqlite3, type PrebuiltMirror } from '../src/native-install.js';
import { FreshProject } from '../src/project.js';
import { codeExample } from '../src/readme-lines.js';
import { startRegistry, type LocalRegistry } from '../src/registry.js';
import { requireCheckSource } from '../src/require-check.js';
import { ROOT, rootDevRange } from '../src/workspace.js';

const CONSUMER_FILES = join(ROOT, 'packaging', 'consumers');
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023'],
    types: ['node'],
    outDir: 'out',
    // The published declarations are checked too: a broken .d.ts must fail here, as in users' builds.
    skipLibCheck: false,
  },
  include: ['*.ts', '*.cts'],
};

/** Every consumer at its drivers' newest releases, and each backend at their oldest supported versions too. */
const VARIANTS = CONSUMERS.flatMap((consumer) => variantsOf(consumer, inject('newestDrivers')));

let registry: LocalRegistry;
const projects: FreshProject[] = [];

/**
 * better-sqlite3 at the workspace's version comes as a prebuilt binary, as it does for a user who
 * can reach GitHub (this machine cannot): from a local mirror of the addon the workspace's own
 * install built. Each build from source costs more than a minute of CPU; the oldest still
 * compiles here, as it does in the fresh-machine test.
 */
const sqlite = workspaceBetterSqlite3();
let mirrorDir: string | undefined;
let mirror: PrebuiltMirror;

function npmEnv(variant: Variant): Record<string, string> {
  return variant.pins.get('better-sqlite3') === sqlite.version ? { npm_config_better_sqlite3_binary_host: mirror.url } : {};
}

/** Whether the run selected a test of the describe block `title` (a name filter may leave it out). */
function selected(tasks: readonly RunnerTask[], title: string): boolean {
  return tasks.some((task) => (task.type === 'suite' ? (task.name === title && task.tasks.some((test) => test.mode === 'run')) || selected(task.tasks, title) : false));
}

// biome-ignore lint/correctness/noEmptyPattern: vitest reads the suite from the second argument only
beforeAll(async ({}, file) => {
  registry = await startRegistry('@jobstore', new Map(Object.entries(inject('tarballs'))));
  mirrorDir = mkdtempSync(join(tmpdir(), 'jobstore-prebuilt-'));
  mirror = await startPrebuiltMirror(sqlite.addon, sqlite.version, mirrorDir);
  // Every selected project starts installing now, rather than when one of the few test slots is
  // free (its three tests would hold three of them while they wait): downloads, better-sqlite3
  // builds and tsc runs overlap, four projects at a time. The tests await the same promises.
  for (const variant of VARIANTS) if (selected(file.tasks, variant.title)) prepare(variant).catch(() => undefined);
});

afterAll(async () => {
  await registry?.close();
  await mirror?.close();
  if (mirrorDir !== undefined) rmSync(mirrorDir, { recursive: true, force: true });
  for (const project of projects) project.remove();
});

interface Prepared {
  readonly project: FreshProject;
  readonly installed: string[];
}

/** The file a consumer runs: its README example, else its first file. */
function program(consumer: Consumer): string {
  return consumer.example?.file ?? consumer.files[0]!;
}

/** Each driver's version in the project, by name. */
function driverVersions(project: FreshProject, variant: Variant): Record<string, string | undefined> {
  return Object.fromEntries([...variant.pins.keys()].map((name) => [name, project.installedVersion(name)]));
}

/**
 * The README's lines, then, for the newest, each driver npm chose another release of (on Node 20,
 * kysely: 0.29 declares Node 22; or a release newer than the newest verified) installed at the
 * newest; for the oldest, the lines with the drivers pinned. Either way every driver ends at its
 * variant's version.
 */
async function install(project: FreshProject, variant: Variant): Promise<void> {
  for (const args of installCommands(variant)) await project.npm(args, registry, npmEnv(variant));
  const behind = [...variant.pins].filter(([name, version]) => project.installedVersion(name) !== version);
  if (variant.end === 'newest' && behind.length > 0) {
    console.log(
      `packaging ${variant.consumer.name}: the README's line installed ${JSON.stringify(driverVersions(project, variant))} with Node ${process.version}; now installing ${behind.map(([name, version]) => `${name}@${version}`).join(' ')}`,
    );
    await project.npm(['install', ...behind.map(([name, version]) => `${name}@${version}`)], registry, npmEnv(variant));
  }
  const ended = driverVersions(project, variant);
  if ([...variant.pins].some(([name, version]) => ended[name] !== version)) throw new Error(`${variant.title}: npm installed ${JSON.stringify(ended)}`);
}

/** At most this many projects install and compile at once. */
const installing = limit(4);

/** Installs, writes and compiles a variant once; its tests share the result. */
const prepared = new Map<string, Promise<Prepared>>();
function prepare(variant: Variant): Promise<Prepared> {
  const { consumer } = variant;
  let ready = prepared.get(variant.title);
  if (ready === undefined) {
    ready = installing(async () => {
      const project = new FreshProject(`${consumer.name}-${variant.end}`);
      projects.push(project);
      await install(project, variant);
      await project.npm(['install', '--save-dev', `typescript@${rootDevRange('typescript')}`, `@types/node@${rootDevRange('@types/node')}`], registry);
      for (const file of consumer.files) project.copy(join(CONSUMER_FILES, file), file);
      if (consumer.example !== undefined) project.write(consumer.example.file, codeExample(consumer.example.readme, consumer.example.naming));
      const installed = project.installedScope('@jobstore');
      project.write('require-check.cts', requireCheckSource(installed));
      project.write('tsconfig.json', JSON.stringify(TSCONFIG, null, 2));
      await project.bin('tsc', ['--strict', '-p', '.']);
      return { project, installed };
    });
    prepared.set(variant.title, ready);
  }
  return ready;
}

describe.concurrent('the packed packages, installed with npm into fresh projects', () => {
  for (const variant of VARIANTS) {
    const { consumer } = variant;
    const lines = installCommands(variant)
      .map((args) => ['npm', ...args].join(' '))
      .join(' && ');
    const then = variant.end === 'newest' && variant.pins.size > 0 ? ', sets any driver npm chose another version of to the newest verified,' : '';
    describe(variant.title, () => {
      it(`installs (${lines})${then} and compiles with tsc --strict against the published types`, async () => {
        const { installed } = await prepare(variant);
        expect(installed).toContain('@jobstore/core');
      });

      it('loads every @jobstore package with require() as well as import', async () => {
        const { project, installed } = await prepare(variant);
        const { stdout } = await project.node(['out/require-check.cjs']);
        const report = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, { required: string[]; imported: string[] }>;
        expect(Object.keys(report).sort()).toEqual([...installed].sort());
        for (const { required, imported } of Object.values(report)) {
          expect(required.length).toBeGreaterThan(0);
          expect(required).toEqual(imported);
        }
      });

      const where = consumer.service === undefined ? 'with no server' : `on the ${consumer.service} server`;
      const does = consumer.runner === 'vitest' ? `runs the README's suite with vitest ${where}` : `runs a program that ${consumer.steps.join(', ')} ${where}`;
      it(does, async (context) => {
        const { project } = await prepare(variant);
        let url = consumer.url;
        if (consumer.service !== undefined) {
          const service = await resolveService(SERVICES[consumer.service]);
          if (!service.available) {
            console.warn(`packaging ${variant.title}: not run, ${service.reason}`);
            context.skip();
            return;
          }
          url = service.url;
        }
        const env: Record<string, string> = url === undefined ? {} : { JOBSTORE_URL: url };
        if (consumer.runner === 'vitest') {
          await project.bin('vitest', ['run', '--reporter=json', '--outputFile=report.json', program(consumer)], env);
          const report = JSON.parse(readFileSync(join(project.dir, 'report.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number };
          expect(report.numFailedTests).toBe(0);
          expect(report.numPassedTests).toBeGreaterThan(50);
          return;
        }
        const { stdout } = await project.node([`out/${program(consumer).replace(/\.ts$/, '.js')}`], env);
        expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ steps: consumer.steps });
      });
    });
  }

  it('starts the service with the jobstore command from @jobstore/http, on a SQLite file by default', async () => {
    const { project } = await prepare(VARIANTS.find((variant) => variant.consumer.name === 'http' && variant.end === 'newest')!);
    const port = await freePort();
    const child = project.spawn(project.binPath('jobstore'), ['serve', '--port', String(port)]);
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      const deadline = Date.now() + 30_000;
      while (!/bearer token is \S+/.test(printed) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
      const token = /bearer token is (\S+)/.exec(printed)?.[1];
      expect(token, printed).toBeDefined();
      const response = await fetch(`http://127.0.0.1:${port}/scheduler/jobs`, { headers: { authorization: `Bearer ${token!}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
      expect(readFileSync(join(project.dir, 'jobstore.db')).length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
