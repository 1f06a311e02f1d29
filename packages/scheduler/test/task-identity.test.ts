import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Scheduler, TaskLookupError } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, inMs, makeScheduler, ofType, until } from './support.js';

afterEach(cleanup);

// A project folder of its own (never the working directory): tasks.mjs, a symlink to it, a
// subfolder, and a module that leaves a mark when it is imported.
const dir = mkdtempSync(join(tmpdir(), 'jobstore-task-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'imported.txt');
writeFileSync(join(dir, 'tasks.mjs'), 'export function tick(n) { return n * 2; }\nexport const notATask = 1;\n');
writeFileSync(join(dir, 'other.mjs'), 'export function tick() { return "other"; }\n');
writeFileSync(join(dir, 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nexport function run() {}\n`);
symlinkSync(join(dir, 'tasks.mjs'), join(dir, 'link.mjs'));
mkdirSync(join(dir, 'a'));

const SPELLINGS = {
  relative: './tasks.mjs:tick',
  absolute: `${join(dir, 'tasks.mjs')}:tick`,
  'file: URL': `${pathToFileURL(join(dir, 'tasks.mjs')).href}:tick`,
  'with ..': './a/../tasks.mjs:tick',
  symlink: './link.mjs:tick',
};

describe("a task's identity is its module file and export, however the module is spelled", () => {
  it('getTask finds a task registered from ./tasks.mjs under every spelling of that file, relative ones against baseDir', async () => {
    // Never started: nothing to shut down (a memory store opens nothing).
    const scheduler = new Scheduler({ baseDir: dir, timezone: 'UTC' });
    expect(await scheduler.importTasks('./tasks.mjs')).toStrictEqual(['./tasks.mjs:tick']);
    const registered = scheduler.getTask('./tasks.mjs:tick');
    expect(registered).toBeDefined();
    for (const [spelling, name] of Object.entries(SPELLINGS)) expect([spelling, scheduler.getTask(name)?.fn]).toStrictEqual([spelling, registered?.fn]);
    // Another file, another export, or a file that does not exist are other tasks.
    for (const name of ['./other.mjs:tick', './tasks.mjs:nope', './missing.mjs:tick', 'tasks.mjs:tick', './tasks.mjs']) expect([name, scheduler.getTask(name)]).toStrictEqual([name, undefined]);
  });

  for (const [spelling, name] of Object.entries(SPELLINGS)) {
    it(`a job stored with the ${spelling} spelling runs where the module was imported as ./tasks.mjs, and the other way round`, async () => {
      const store = new MemoryJobStore();
      const modulePart = name.slice(0, name.lastIndexOf(':'));
      // The process that added the jobs knew the module by both names.
      const adder = new Scheduler({ jobstores: { default: store }, baseDir: dir, timezone: 'UTC' });
      await adder.importTasks(modulePart);
      await adder.importTasks('./tasks.mjs');
      await adder.addJob({ id: 'spelled', func: name, args: [21], trigger: 'date', runDate: inMs(100) });
      await adder.addJob({ id: 'relative', func: './tasks.mjs:tick', args: [5], trigger: 'date', runDate: inMs(100) });
      // A process that imported the module under the other spelling runs the job stored under this one.
      const other = makeScheduler({ jobstores: { default: store }, baseDir: dir }).scheduler;
      await other.importTasks(modulePart);
      expect((await other.getJob('relative'))?.unrunnable).toBeUndefined();
      expect(await other.runJob('relative')).toBe(10);
      const { scheduler, events } = makeScheduler({ jobstores: { default: store }, baseDir: dir });
      await scheduler.importTasks('./tasks.mjs');
      expect((await scheduler.getJob('spelled'))?.unrunnable).toBeUndefined();
      await scheduler.start();
      await until(() => ofType(events, 'job_executed').length === 2);
      expect(
        ofType(events, 'job_executed')
          .map((e) => [e.jobId, e.returnValue])
          .sort(),
      ).toStrictEqual([
        ['relative', 10],
        ['spelled', 42],
      ]);
      expect(ofType(events, 'job_error')).toStrictEqual([]);
    });
  }

  it('a name read from a store never imports its module: the job is unrunnable until the process registers the task itself', async () => {
    const { scheduler, events, store } = makeScheduler({ baseDir: dir });
    // Another process, which has evil.mjs:run, stored the job.
    await store.addJob({
      id: 'stored',
      nextRunTime: inMs(-10),
      data: {
        scheduler: 1,
        task: './evil.mjs:run',
        name: 'x',
        args: [],
        kwargs: {},
        trigger: { type: 'date', runDate: new Date().toISOString(), timezone: 'UTC' },
        executor: 'default',
        misfireGraceTime: null,
        coalesce: true,
        maxInstances: 1,
      },
    });
    expect((await scheduler.getJob('stored'))?.unrunnable).toMatch(/task "\.\/evil\.mjs:run" is not registered in this process/);
    await scheduler.start();
    await until(() => ofType(events, 'job_error').length === 1);
    expect(ofType(events, 'job_error')[0]?.error).toBeInstanceOf(TaskLookupError);
    expect(scheduler.getTask('./evil.mjs:run')).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
    expect(await store.lookupJob('stored')).not.toBeNull();
  });

  it('addJob takes any spelling of a registered task and stores it as given; an unknown one is refused', async () => {
    const { scheduler } = makeScheduler({ baseDir: dir });
    await scheduler.importTasks(pathToFileURL(join(dir, 'tasks.mjs')), { prefix: 'tasks' });
    expect(scheduler.tasks()).toStrictEqual(['tasks:tick']);
    const job = await scheduler.addJob({ func: './a/../tasks.mjs:tick', trigger: 'interval', minutes: 1 });
    expect(job.task).toBe('./a/../tasks.mjs:tick');
    expect(await scheduler.runJob(job.id)).toBeNaN(); // tick(undefined): the function ran
    await expect(scheduler.addJob({ func: './other.mjs:tick' })).rejects.toThrow(/no task "\.\/other\.mjs:tick" is registered/);
  });
});
