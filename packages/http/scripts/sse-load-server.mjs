// The server side of sse-memory.mjs: a scheduler over the memory store with jobs firing about
// `--fires` times a second, and the REST API (handler + node:http) in front of it. Run by
// sse-memory.mjs as a child process (node --expose-gc), so what it measures is this process's
// memory alone. It speaks over IPC: 'ready' with its port, then answers 'memory' requests.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createJobstoreHandler, toNodeListener } from '@jobstore/http';
import { Scheduler } from '@jobstore/scheduler';
import { MemoryJobStore } from '@jobstore/store-memory';

const { values } = parseArgs({
  options: {
    fires: { type: 'string', default: '60' },
    'error-bytes': { type: 'string', default: '0' },
    'max-streams': { type: 'string' },
    'buffer-bytes': { type: 'string' },
    token: { type: 'string', default: 'sse-load-token-0123456789' },
  },
});

const fires = Number(values.fires);
// With --error-bytes, every run throws a message that long: each job_error event is that much bigger.
const failure = Number(values['error-bytes']) > 0 ? 'x'.repeat(Number(values['error-bytes'])) : null;
let runs = 0;

const scheduler = new Scheduler({ timezone: 'UTC', jobstores: { default: new MemoryJobStore() } });
scheduler.registerTask('tick', () => {
  runs++;
  if (failure !== null) throw new Error(failure);
});
await scheduler.start();
// `fires` jobs every second, their start times spread over the second: a steady stream of events.
const now = Date.now() + 1000;
for (let i = 0; i < fires; i++) {
  await scheduler.addJob({ id: `load-${i}`, func: 'tick', trigger: 'interval', seconds: 1, startDate: new Date(now + Math.floor((i * 1000) / fires)) });
}

/** Handler options only when given, so the script also runs against builds that predate them. */
const limits = {};
if (values['max-streams'] !== undefined) limits.maxEventStreams = Number(values['max-streams']);
if (values['buffer-bytes'] !== undefined) limits.eventStreamBufferBytes = Number(values['buffer-bytes']);
const handler = createJobstoreHandler(scheduler, { auth: { bearer: values.token }, ...limits });
const server = createServer(toNodeListener(handler));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

/** Full collections, a turn of the event loop between them, so finalizers and freed buffers go too. */
async function collect() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

process.on('message', async (message) => {
  if (message?.type !== 'memory') return;
  if (message.gc === true) await collect();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.send({ type: 'memory', id: message.id, rss, heapUsed, external, arrayBuffers, runs, connections: await new Promise((resolve) => server.getConnections((_error, count) => resolve(count))) });
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', port: server.address().port, token: values.token, gcExposed: typeof globalThis.gc === 'function' });
