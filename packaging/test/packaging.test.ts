import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, resolveService, SERVICES } from '@jobstore/conformance';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONSUMERS, type Consumer } from '../src/consumers.js';
import { FreshProject } from '../src/project.js';
import { codeExample, installLine } from '../src/readme-lines.js';
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

let registry: LocalRegistry;
const projects: FreshProject[] = [];

beforeAll(async () => {
  registry = await startRegistry('@jobstore', new Map(Object.entries(inject('tarballs'))));
});

afterAll(async () => {
  await registry?.close();
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

/** Installs, writes and compiles a consumer once; its tests share the result. */
const prepared = new Map<string, Promise<Prepared>>();
function prepare(consumer: Consumer): Promise<Prepared> {
  let ready = prepared.get(consumer.name);
  if (ready === undefined) {
    ready = (async () => {
      const project = new FreshProject(consumer.name);
      projects.push(project);
      for (const line of consumer.install) {
        const [npm, ...args] = installLine(line.readme, line.naming);
        expect(npm).toBe('npm');
        await project.npm(args, registry);
      }
      await project.npm(['install', '--save-dev', `typescript@${rootDevRange('typescript')}`, `@types/node@${rootDevRange('@types/node')}`], registry);
      for (const file of consumer.files) project.copy(join(CONSUMER_FILES, file), file);
      if (consumer.example !== undefined) project.write(consumer.example.file, codeExample(consumer.example.readme, consumer.example.naming));
      const installed = project.installedScope('@jobstore');
      project.write('require-check.cts', requireCheckSource(installed));
      project.write('tsconfig.json', JSON.stringify(TSCONFIG, null, 2));
      await project.bin('tsc', ['--strict', '-p', '.']);
      return { project, installed };
    })();
    prepared.set(consumer.name, ready);
  }
  return ready;
}

describe.concurrent('the packed packages, installed with npm into fresh projects', () => {
  for (const consumer of CONSUMERS) {
    const lines = consumer.install.map((line) => installLine(line.readme, line.naming).join(' ')).join(' && ');
    describe(consumer.name, () => {
      it(`installs (${lines}) and compiles with tsc --strict against the published types`, async () => {
        const { installed } = await prepare(consumer);
        expect(installed).toContain('@jobstore/core');
      });

      it('loads every @jobstore package with require() as well as import', async () => {
        const { project, installed } = await prepare(consumer);
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
        const { project } = await prepare(consumer);
        let url = consumer.url;
        if (consumer.service !== undefined) {
          const service = await resolveService(SERVICES[consumer.service]);
          if (!service.available) {
            console.warn(`packaging ${consumer.name}: not run, ${service.reason}`);
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
    const { project } = await prepare(CONSUMERS.find((consumer) => consumer.name === 'http')!);
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
