import { callArguments, type Executor, type JobRun } from './executor.js';
import { runInJobContext } from './context.js';

/**
 * Runs tasks on the event loop (APScheduler's asyncio executor): the right place for I/O-bound
 * tasks. A task that blocks the loop blocks the scheduler too: give CPU-bound work to a pool.
 */
export class AsyncExecutor implements Executor {
  readonly inline: boolean = false;
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  submit(run: JobRun): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the executor is shut down'));
    const fn = run.task.fn as (...args: unknown[]) => unknown;
    const context = { jobId: run.jobId, jobstore: run.jobstore, scheduledRunTime: run.scheduledRunTime };
    // Promise.resolve().then: a task that throws synchronously still rejects the promise.
    const result = runInJobContext(context, () => Promise.resolve().then(() => fn(...callArguments(run.args, run.kwargs))));
    this.#running.add(result);
    const forget = (): void => {
      this.#running.delete(result);
    };
    result.then(forget, forget);
    return result;
  }

  async shutdown(wait: boolean): Promise<void> {
    this.#closed = true;
    if (wait) await Promise.allSettled([...this.#running]);
  }
}

/** Runs each task inline, and the scheduler waits for it (APScheduler's debug executor). */
export class DebugExecutor extends AsyncExecutor {
  override readonly inline = true;
}
