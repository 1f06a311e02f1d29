import { parentPort } from 'node:worker_threads';
import { runInJobContext } from './context.js';
import type { ResultMessage, RunMessage } from './worker-protocol.js';

/**
 * The entry of a pool worker: a worker thread (messages through parentPort) or a child process
 * (through process.send). It imports the task's module and runs the named export.
 */
const send = (message: ResultMessage): void => {
  if (parentPort !== null) parentPort.postMessage(message);
  else process.send?.(message);
};

async function run(message: RunMessage): Promise<void> {
  try {
    const module = (await import(message.url)) as Record<string, unknown>;
    const fn = module[message.exportName];
    if (typeof fn !== 'function') throw new TypeError(`${message.url} has no exported function ${JSON.stringify(message.exportName)}`);
    const context = { ...message.context, scheduledRunTime: new Date(message.context.scheduledRunTime) };
    const value: unknown = await runInJobContext(context, () => (fn as (...args: unknown[]) => unknown)(...message.args));
    try {
      send({ kind: 'result', id: message.id, ok: true, value });
    } catch {
      // A return value that cannot be cloned (a function, a socket) is not worth failing the run for.
      send({ kind: 'result', id: message.id, ok: true, value: undefined });
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ kind: 'result', id: message.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } });
  }
}

const receive = (message: unknown): void => {
  if (typeof message === 'object' && message !== null && (message as RunMessage).kind === 'run') void run(message as RunMessage);
};
if (parentPort !== null) parentPort.on('message', receive);
else process.on('message', receive);
