// Issue 17 point 3, measured: many `GET /scheduler/events` streams, most of which never read,
// while jobs fire about 60 times a second. The server runs in a child process (sse-load-server.mjs,
// node --expose-gc); this process opens the streams over raw TCP, asks `GET /scheduler/jobs` once a
// second, and reads the child's RSS from /proc (Linux) before, during and after the load.
//
//   pnpm run build && node packages/http/scripts/sse-memory.mjs [--streams=500] [--readers=50]
//     [--seconds=50] [--fires=60] [--error-bytes=0] [--max-streams=N] [--buffer-bytes=N] [--json]
//     [--cpu-prof-dir=DIR]  (the server writes a V8 CPU profile there)
//
// --json prints one JSON line (test/event-stream-load.test.ts reads it) instead of the table.
// Every loop here is bounded: the load lasts --seconds, each wait has a deadline, and the child is
// killed at the end.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '500' },
    readers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '50' },
    fires: { type: 'string', default: '60' },
    'error-bytes': { type: 'string', default: '0' },
    'max-streams': { type: 'string' },
    'buffer-bytes': { type: 'string' },
    'api-timeout-ms': { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
  },
});
const STREAMS = Number(values.streams);
const READERS = Math.min(STREAMS, Number(values.readers));
const SECONDS = Number(values.seconds);
const API_TIMEOUT_MS = Number(values['api-timeout-ms']);
const MB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => void (values.json ? process.stderr : process.stdout).write(`${line}\n`);

const serverArgs = [`--fires=${values.fires}`, `--error-bytes=${values['error-bytes']}`];
if (values['max-streams'] !== undefined) serverArgs.push(`--max-streams=${values['max-streams']}`);
if (values['buffer-bytes'] !== undefined) serverArgs.push(`--buffer-bytes=${values['buffer-bytes']}`);
const child = fork(new URL('./sse-load-server.mjs', import.meta.url), serverArgs, {
  execArgv: ['--expose-gc', ...(values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`])],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ready = await new Promise((resolve, reject) => {
  child.once('message', resolve);
  child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
});
const base = `http://127.0.0.1:${ready.port}`;
const authorization = `Bearer ${ready.token}`;

/** The child's resident set from /proc: read by the kernel, so it answers however busy the child is. */
function rss() {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

let asked = 0;
/** The child's own memory figures over IPC (after full collections when `gc`), or null past the deadline. */
function memory(gc, deadlineMs = 60_000) {
  const id = ++asked;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('message', answer);
      resolve(null);
    }, deadlineMs);
    const answer = (message) => {
      if (message?.type !== 'memory' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', answer);
      resolve(message);
    };
    child.on('message', answer);
    child.send({ type: 'memory', gc, id });
  });
}

/** One stream over raw TCP: a reader takes everything; the others take the first chunk, then stop reading. */
function openStream(reads) {
  const stream = { status: null, bytes: 0, ended: false, dropped: false, head: '', tail: '', socket: null };
  const socket = connect(ready.port, '127.0.0.1');
  stream.socket = socket;
  socket.on('error', () => undefined);
  socket.once('connect', () => socket.write(`GET /scheduler/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n\r\n`));
  socket.on('data', (chunk) => {
    // The first bytes: the status line, the headers and, for a refusal, its body.
    if (stream.head.length < 600) stream.head = (stream.head + chunk.toString('latin1')).slice(0, 600);
    if (stream.status === null) {
      stream.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(stream.head)?.[1] ?? 0);
      // A paused socket reads no more from the kernel: the server's writes back up, as with a stalled client.
      if (!reads && stream.status === 200) socket.pause();
    }
    stream.bytes += chunk.length;
    // The last bytes seen, enough to find the end of the chunked body and the server's parting comment.
    stream.tail = (stream.tail + chunk.toString('latin1')).slice(-400);
    if (stream.tail.endsWith('\r\n0\r\n\r\n')) stream.ended = true;
    if (stream.tail.includes('behind; reconnect')) stream.dropped = true;
  });
  return stream;
}

/** `GET /scheduler/jobs`, timed; null when it did not answer 200 within the deadline. */
async function apiCall() {
  const start = performance.now();
  try {
    const response = await fetch(`${base}/scheduler/jobs`, { headers: { authorization }, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200 ? performance.now() - start : null;
  } catch {
    return null;
  }
}

await sleep(3000); // the jobs begin firing, the first requests warm the code paths
await apiCall();
const before = await memory(true);
const rssBefore = rss();
log(`before: rss ${(rssBefore / MB).toFixed(0)} MB, heapUsed ${(before.heapUsed / MB).toFixed(1)} MB, ${before.runs} runs so far`);

const streams = [];
for (let i = 0; i < STREAMS; i++) {
  streams.push(openStream(i < READERS));
  if (i % 50 === 49) await sleep(50); // batches, so the listen backlog is never the limit
}
const apiTimes = [];
let apiFailures = 0;
let rssPeak = rssBefore;
const loadStart = performance.now();
const runsAtStart = (await memory(false, API_TIMEOUT_MS))?.runs ?? before.runs;
while (performance.now() - loadStart < SECONDS * 1000) {
  const tick = performance.now();
  const took = await apiCall();
  if (took === null) apiFailures++;
  else apiTimes.push(took);
  rssPeak = Math.max(rssPeak, rss());
  const elapsed = Math.round((performance.now() - loadStart) / 1000);
  if (elapsed % 10 === 0 && !values.json) log(`  ${elapsed} s: rss ${(rss() / MB).toFixed(0)} MB, GET /jobs ${took === null ? 'no answer' : `${took.toFixed(0)} ms`}`);
  await sleep(Math.max(0, 1000 - (performance.now() - tick)));
}
const loadSeconds = (performance.now() - loadStart) / 1000;
const during = await memory(false, API_TIMEOUT_MS);
const rssDuring = rss();
rssPeak = Math.max(rssPeak, rssDuring);

const answered = { 200: 0, 503: 0, other: 0, none: 0 };
for (const stream of streams) {
  if (stream.status === 200 || stream.status === 503) answered[stream.status]++;
  else if (stream.status === null) answered.none++;
  else answered.other++;
}
const refused = streams.find((stream) => stream.status === 503);
const readers = streams.slice(0, READERS).filter((stream) => stream.status === 200);
const readersEnded = readers.filter((stream) => stream.ended).length;
const readerBytes = readers.map((stream) => stream.bytes);

// The streams that never read now read what waits for them: a stream the server dropped ends with its comment.
const stalled = streams.slice(READERS).filter((stream) => stream.status === 200);
for (const stream of stalled) stream.socket.resume();
await sleep(3000);
const stalledDropped = stalled.filter((stream) => stream.dropped && stream.ended).length;
for (const stream of streams) stream.socket.destroy();
// The server sees the sockets close; wait (bounded) until it holds none of them.
const closeDeadline = performance.now() + 20_000;
let left = null;
while (performance.now() < closeDeadline) {
  left = (await memory(false, 5000))?.connections ?? null;
  if (left !== null && left <= 1) break;
  await sleep(250);
}
const after = await memory(true);
const rssAfter = rss();
const apiAfter = await apiCall();
const again = openStream(true);
await sleep(500);
const streamAfter = again.status;
again.socket.destroy();
child.disconnect(); // the server exits on its own when IPC closes (and writes its profile)
await new Promise((resolve) => {
  const timer = setTimeout(() => {
    child.kill();
    resolve();
  }, 10_000);
  child.once('exit', () => {
    clearTimeout(timer);
    resolve();
  });
});

apiTimes.sort((a, b) => a - b);
const quantile = (q) => (apiTimes.length === 0 ? null : Math.round(apiTimes[Math.min(apiTimes.length - 1, Math.floor(q * apiTimes.length))]));
const mb = (bytes) => (bytes === undefined || bytes === null || Number.isNaN(bytes) ? null : Math.round((bytes / MB) * 10) / 10);
const summary = {
  streams: STREAMS,
  readers: READERS,
  seconds: Math.round(loadSeconds),
  firesPerSecond: during === null ? null : Math.round(((during.runs - runsAtStart) / loadSeconds) * 10) / 10,
  answered,
  refusal: refused === undefined ? null : refused.head.slice(0, 600),
  readersEnded,
  stalled: stalled.length,
  stalledDropped,
  readerBytes: readerBytes.length === 0 ? null : { min: Math.min(...readerBytes), max: Math.max(...readerBytes) },
  rssMB: { before: mb(rssBefore), peak: mb(rssPeak), end: mb(rssDuring), after: mb(rssAfter) },
  heapUsedMB: { before: mb(before.heapUsed), end: mb(during?.heapUsed), after: mb(after?.heapUsed) },
  arrayBuffersMB: { before: mb(before.arrayBuffers), end: mb(during?.arrayBuffers), after: mb(after?.arrayBuffers) },
  connectionsLeft: left,
  api: { calls: apiTimes.length + apiFailures, unanswered: apiFailures, p50Ms: quantile(0.5), maxMs: quantile(1), afterMs: apiAfter === null ? null : Math.round(apiAfter) },
  streamAfter,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} else {
  log(`streams: ${STREAMS} opened (${READERS} reading): ${answered[200]} answered 200, ${answered[503]} answered 503, ${answered.other} other, ${answered.none} no answer`);
  log(
    `fires: ${summary.firesPerSecond}/s over ${summary.seconds} s; readers that were ended by the server: ${readersEnded}; streams that never read, found dropped by the server: ${stalledDropped} of ${stalled.length}`,
  );
  log(`RSS MB: before ${summary.rssMB.before}, peak ${summary.rssMB.peak}, end of load ${summary.rssMB.end}, after the clients left + GC ${summary.rssMB.after}`);
  log(`heapUsed MB: before ${summary.heapUsedMB.before}, end of load ${summary.heapUsedMB.end ?? 'no answer'}, after ${summary.heapUsedMB.after ?? 'no answer'}`);
  log(
    `GET /scheduler/jobs during the load: ${summary.api.calls} calls, ${apiFailures} unanswered within ${API_TIMEOUT_MS} ms, p50 ${summary.api.p50Ms} ms, max ${summary.api.maxMs} ms; after: ${summary.api.afterMs ?? 'no answer'} ms`,
  );
  log(`a new stream after the load: ${streamAfter ?? 'no answer'}`);
}
