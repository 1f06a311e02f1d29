import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from '@jobstore/core';
import { callArguments, type Executor, type JobRun } from './executor.js';
import { WorkerTaskError, type ResultMessage, type RunMessage } from './worker-protocol.js';

const WORKER_MAIN = new URL('./worker-main.js', import.meta.url);

/**
 * A thread or a child process, seen the same way by the pool.
 * @internal
 */
export interface PoolWorker {
  post(message: RunMessage): void;
  onMessage(handler: (message: ResultMessage) => void): void;
  /** Called once when the worker dies, whatever the reason. */
  onExit(handler: (reason: Error) => void): void;
  terminate(): Promise<void>;
}

interface Pending {
  readonly message: RunMessage;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Up to maxWorkers workers, started as needed; each runs one job at a time and the rest queue.
 * A task's module is imported in the worker, so tasks must be registered with their module
 * (importTasks, or registerTask with `module`). A worker that dies fails its run and is replaced;
 * a task that hangs holds its worker, never the scheduler.
 */
abstract class PoolExecutor implements Executor {
  readonly inline = false;
  readonly #maxWorkers: number;
  readonly #idle: PoolWorker[] = [];
  readonly #busy = new Map<PoolWorker, Pending>();
  readonly #queue: Pending[] = [];
  #workers = 0;
  #nextId = 0;
  #closed = false;

  constructor(kind: string, maxWorkers: number) {
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) throw new InvalidArgumentError(`${kind} executor: maxWorkers must be a positive integer, got ${maxWorkers}`);
    this.#maxWorkers = maxWorkers;
  }

  /** @internal */
  protected abstract spawn(): PoolWorker;

  submit(run: JobRun): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the executor is shut down'));
    const module = run.task.module;
    if (module === undefined) {
      return Promise.reject(
        new InvalidArgumentError(`task ${JSON.stringify(run.task.name)} has no module a worker can import: register it with importTasks(), or registerTask(name, fn, { url, exportName })`),
      );
    }
    return new Promise((resolve, reject) => {
      const message: RunMessage = {
        kind: 'run',
        id: this.#nextId++,
        url: module.url,
        exportName: module.exportName,
        args: callArguments(run.args, run.kwargs),
        context: { jobId: run.jobId, jobstore: run.jobstore, scheduledRunTime: run.scheduledRunTime.getTime() },
      };
      this.#queue.push({ message, resolve, reject });
      this.#pump();
    });
  }

  async shutdown(wait: boolean): Promise<void> {
    this.#closed = true;
    if (wait) {
      while (this.#busy.size > 0 || this.#queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    } else {
      for (const pending of this.#queue.splice(0)) pending.reject(new Error('the executor was shut down'));
    }
    const workers = [...this.#idle.splice(0), ...this.#busy.keys()];
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let worker = this.#idle.pop();
      if (worker === undefined) {
        if (this.#workers >= this.#maxWorkers) return;
        worker = this.#start();
      }
      const pending = this.#queue.shift() as Pending;
      this.#busy.set(worker, pending);
      worker.post(pending.message);
    }
  }

  #start(): PoolWorker {
    const worker = this.spawn();
    this.#workers++;
    worker.onMessage((message) => {
      const pending = this.#busy.get(worker);
      if (pending === undefined || message.id !== pending.message.id) return;
      this.#busy.delete(worker);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new WorkerTaskError(message.error));
      if (!this.#closed) this.#idle.push(worker);
      this.#pump();
    });
    worker.onExit((reason) => {
      this.#workers--;
      const idle = this.#idle.indexOf(worker);
      if (idle >= 0) this.#idle.splice(idle, 1);
      const pending = this.#busy.get(worker);
      this.#busy.delete(worker);
      pending?.reject(reason);
      if (!this.#closed) this.#pump();
    });
    return worker;
  }
}

/** A worker reports its end through 'error' and 'exit' both: pass it on once. */
function onlyOnce(handler: (reason: Error) => void): (reason: Error) => void {
  let called = false;
  return (reason) => {
    if (called) return;
    called = true;
    handler(reason);
  };
}

/** Runs jobs in worker threads (APScheduler's thread pool): for CPU-bound tasks. */
export class ThreadPoolExecutor extends PoolExecutor {
  constructor(maxWorkers = 10) {
    super('threadpool', maxWorkers);
  }

  /** @internal */
  protected spawn(): PoolWorker {
    const worker = new Worker(WORKER_MAIN);
    // The scheduler's own timers decide how long the process lives, not an idle worker.
    worker.unref();
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.on('message', handler),
      onExit: (handler) => {
        const once = onlyOnce(handler);
        worker.on('error', (error) => once(error));
        worker.on('exit', (code) => once(new Error(`the worker thread exited with code ${code} while running the job`)));
      },
      terminate: async () => {
        await worker.terminate();
      },
    };
  }
}

/** Runs jobs in child processes (APScheduler's process pool): isolation from the scheduler's process. */
export class ProcessPoolExecutor extends PoolExecutor {
  constructor(maxWorkers = 4) {
    super('processpool', maxWorkers);
  }

  /** @internal */
  protected spawn(): PoolWorker {
    const child: ChildProcess = fork(fileURLToPath(WORKER_MAIN), [], { serialization: 'advanced', stdio: 'inherit' });
    child.unref();
    child.channel?.unref();
    return {
      post: (message) => child.send(message),
      onMessage: (handler) => child.on('message', (message) => handler(message as ResultMessage)),
      onExit: (handler) => {
        const once = onlyOnce(handler);
        child.on('error', (error) => once(error));
        child.on('exit', (code, signal) => once(new Error(`the worker process exited (${signal ?? `code ${code}`}) while running the job`)));
      },
      terminate: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      },
    };
  }
}
