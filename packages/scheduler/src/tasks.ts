import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '@jobstore/core';

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
 * Tasks by name. Stores keep a job's task name, never code: each process registers the
 * functions it can run, and a job whose task is unknown is reported and left in its store.
 */
export class TaskRegistry {
  readonly #byName = new Map<string, TaskEntry>();

  register(name: string, fn: TaskFunction, module?: TaskModule): TaskEntry {
    if (typeof name !== 'string' || name.length === 0 || name.length > 512) throw new InvalidArgumentError(`registerTask: name must be a non-empty string of up to 512 characters`);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`registerTask: task ${JSON.stringify(name)} must be a function, got ${typeof fn}`);
    const existing = this.#byName.get(name);
    if (existing !== undefined && existing.fn !== fn) throw new InvalidArgumentError(`registerTask: another function is already registered as ${JSON.stringify(name)}`);
    const entry: TaskEntry = { name, fn, module: module ?? existing?.module };
    this.#byName.set(name, entry);
    return entry;
  }

  get(name: string): TaskEntry | undefined {
    return this.#byName.get(name);
  }

  /** The name a function is registered under, if it is. */
  nameOf(fn: TaskFunction): string | undefined {
    for (const entry of this.#byName.values()) if (entry.fn === fn) return entry.name;
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
    const url = moduleUrl(specifier);
    const module = (await import(url)) as Record<string, unknown>;
    const base = prefix ?? (typeof specifier === 'string' ? specifier : specifier.href);
    const names: string[] = [];
    for (const [exportName, value] of Object.entries(module)) {
      if (typeof value !== 'function') continue;
      const name = `${base}:${exportName}`;
      this.register(name, value as TaskFunction, { url, exportName });
      names.push(name);
    }
    return names;
  }
}

/** Relative and absolute paths are resolved against the working directory; URLs and package names are kept. */
export function moduleUrl(specifier: string | URL): string {
  if (specifier instanceof URL) return specifier.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return specifier;
  if (specifier.startsWith('.') || specifier.startsWith('/')) return pathToFileURL(resolve(specifier)).href;
  return specifier;
}
