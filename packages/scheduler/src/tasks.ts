import { InvalidArgumentError } from '@jobstore/core';
import { moduleUrl, taskFileKey } from './task-modules.js';

/** A function a job runs. It is called with the job's args, then its kwargs (if any) as one last argument. */
export type TaskFunction = (...args: never[]) => unknown;

/** Where a worker thread or child process can import a task from. */
export interface TaskModule {
  /** An absolute URL (file:) or a bare package specifier. */
  readonly url: string;
  readonly exportName: string;
}

export interface TaskEntry {
  readonly name: string;
  readonly fn: TaskFunction;
  /** Without it the task runs only in the async and debug executors. */
  readonly module: TaskModule | undefined;
}

/**
 * Names JavaScript gives a function written in place: none, the `func` key of the options object
 * it was written in, or `default` for an anonymous default export. Such a name says nothing about
 * the function, so it cannot name a task shared by several jobs.
 */
const INFERRED_NAMES = new Set(['', 'func', 'default']);

/** True for a function whose name was not chosen by its author (see INFERRED_NAMES). */
export function isInlineFunction(fn: TaskFunction): boolean {
  return INFERRED_NAMES.has(fn.name);
}

const INLINE_PREFIX = 'inline:';

/** The task name of a job's inline function: derived from the job's id, so it is the job's own. */
export function inlineTaskName(jobId: string): string {
  return `${INLINE_PREFIX}${jobId}`;
}

export function isInlineTaskName(name: string): boolean {
  return name.startsWith(INLINE_PREFIX);
}

/** The owner of a job's inline task: the job, by store alias and id. */
export function taskOwner(jobstore: string, jobId: string): string {
  return `${jobstore}\u0000${jobId}`;
}

/**
 * Tasks by name. Stores keep a job's task name, never code: each process registers the
 * functions it can run, and a job whose task is unknown is reported and left in its store.
 *
 * A `<module>:<export>` name is also found by what it names: the same export of the same module
 * file (real path, against `baseDir`), however either side spelled the module's path. Looking a
 * name up never imports anything.
 */
export class TaskRegistry {
  readonly #byName = new Map<string, TaskEntry>();
  /** `<real path>\0<export>` of each task registered with a module file → its first name. */
  readonly #byFile = new Map<string, string>();
  /** Inline tasks → the job that owns each (see taskOwner). */
  readonly #owners = new Map<string, string>();
  /** What a name's module path resolved to, so a dispatch does not stat files every time. */
  readonly #resolved = new Map<string, string | null>();
  readonly #baseDir: () => string;

  /** `baseDir`: where relative module paths are resolved from; read at each use. Default: the working directory. */
  constructor(baseDir: () => string = () => process.cwd()) {
    this.#baseDir = baseDir;
  }

  /**
   * Registers `fn` as `name`. A name holds one function: registering another one under it fails,
   * except for an inline task re-registered by the job that owns it (its replacement).
   */
  register(name: string, fn: TaskFunction, module?: TaskModule, options: { owner?: string; op?: string } = {}): TaskEntry {
    const op = options.op ?? 'registerTask';
    if (typeof name !== 'string' || name.length === 0 || name.length > 512) throw new InvalidArgumentError(`${op}: a task name must be a non-empty string of up to 512 characters`);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`${op}: task ${JSON.stringify(name)} must be a function, got ${typeof fn}`);
    const existing = this.#byName.get(name);
    const owner = this.#owners.get(name);
    if (existing !== undefined && existing.fn !== fn && (owner === undefined || owner !== options.owner)) throw conflict(op, name, owner);
    const entry: TaskEntry = { name, fn, module: module ?? existing?.module };
    this.#byName.set(name, entry);
    if (options.owner !== undefined && existing === undefined) this.#owners.set(name, options.owner);
    if (entry.module !== undefined) {
      const file = taskFileKey(entry.module.url, entry.module.exportName, this.#baseDir(), { bare: true });
      if (file !== null && !this.#byFile.has(file)) this.#byFile.set(file, name);
    }
    // A new file can make a name resolve differently (a symlink made meanwhile): look again.
    this.#resolved.clear();
    return entry;
  }

  /**
   * Registers a job's inline function under the job's own task name, replacing the function the
   * job had; returns what undoes it (for a write that then fails).
   */
  registerOwned(name: string, fn: TaskFunction, owner: string, op: string): () => void {
    const previous = this.#byName.get(name);
    this.register(name, fn, undefined, { owner, op });
    return () => {
      if (previous === undefined) this.#forget(name);
      else this.#byName.set(name, previous);
    };
  }

  /** Unregisters the inline tasks `owner` (a job) owns, except `keep`. */
  releaseOwned(owner: string, keep?: string): void {
    for (const [name, holder] of this.#owners) if (holder === owner && name !== keep) this.#forget(name);
  }

  /** Unregisters the inline tasks of every job of one store (all its jobs were removed). */
  releaseStore(jobstore: string): void {
    const prefix = taskOwner(jobstore, '');
    for (const [name, holder] of this.#owners) if (holder.startsWith(prefix)) this.#forget(name);
  }

  /** The task registered as `name`, else, for `<module>:<export>`, the one registered for the same export of the same module file. */
  get(name: string): TaskEntry | undefined {
    const exact = this.#byName.get(name);
    if (exact !== undefined || typeof name !== 'string') return exact;
    let file = this.#resolved.get(name);
    if (file === undefined) {
      file = fileOfName(name, this.#baseDir());
      // Names come from stored data: keep the cache bounded whatever a store holds.
      if (this.#resolved.size >= 10_000) this.#resolved.clear();
      this.#resolved.set(name, file);
    }
    const registered = file === null ? undefined : this.#byFile.get(file);
    return registered === undefined ? undefined : this.#byName.get(registered);
  }

  /** The name a function is registered under, if it is (inline tasks, each a job's own, are not shared). */
  nameOf(fn: TaskFunction): string | undefined {
    for (const entry of this.#byName.values()) if (entry.fn === fn && !this.#owners.has(entry.name)) return entry.name;
    return undefined;
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  /**
   * Imports a module and registers each exported function as `<prefix>:<exportName>` (APScheduler's
   * `module:function` references); prefix defaults to the specifier as given. The module is
   * recorded, so worker threads and child processes can import the same functions.
   */
  async importModule(specifier: string | URL, prefix?: string): Promise<string[]> {
    const url = moduleUrl(specifier, this.#baseDir());
    const module = (await import(url)) as Record<string, unknown>;
    const base = prefix ?? (typeof specifier === 'string' ? specifier : specifier.href);
    const names: string[] = [];
    for (const [exportName, value] of Object.entries(module)) {
      if (typeof value !== 'function') continue;
      const name = `${base}:${exportName}`;
      this.register(name, value as TaskFunction, { url, exportName }, { op: 'importTasks' });
      names.push(name);
    }
    return names;
  }

  #forget(name: string): void {
    this.#byName.delete(name);
    this.#owners.delete(name);
    this.#resolved.clear();
  }
}

/** The file key a `<module>:<export>` name points at, or null when its module is not a file path. */
function fileOfName(name: string, baseDir: string): string | null {
  const split = name.lastIndexOf(':');
  if (split <= 0 || split === name.length - 1) return null;
  return taskFileKey(name.slice(0, split), name.slice(split + 1), baseDir, { bare: false });
}

function conflict(op: string, name: string, owner: string | undefined): InvalidArgumentError {
  if (owner !== undefined) {
    const [jobstore, id] = owner.split('\u0000');
    return new InvalidArgumentError(`${op}: ${JSON.stringify(name)} is the inline function of job ${JSON.stringify(id)} in jobstore ${JSON.stringify(jobstore)}; give this job another id`);
  }
  return new InvalidArgumentError(
    `${op}: another function is already registered as ${JSON.stringify(name)}. A task name holds one function: register this one under a name of its own (registerTask('another-name', fn), then func: 'another-name'), or pass the registered function itself`,
  );
}
