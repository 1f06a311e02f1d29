// Issue 17 point 4, measured: many unauthenticated clients each send most of a declared 1 MiB
// body, then stall. `jobstore serve` (memory store, bearer token) runs as a child process; this
// reads its RSS from /proc (Linux) before, while the clients hold their connections, and after.
//
//   pnpm run build && node packages/http/scripts/body-flood.mjs [--clients=400] [--kib=960] [--hold=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '400' }, kib: { type: 'string', default: '960' }, hold: { type: 'string', default: '10' } } });
const clients = Number(values.clients);
const bodyBytes = Number(values.kib) * 1024;
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'jobstore-body-flood-'));
writeFileSync(join(dir, 'c.json'), JSON.stringify({ SCHEDULER_JOBSTORES: { default: { type: 'memory' } }, SCHEDULER_AUTH: { type: 'bearer', token: 'body-flood-token-0123456789' }, PORT: 0 }));
const child = spawn(process.execPath, [cli, 'serve', '-c', 'c.json'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const port = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no API line: ${out}`)), 30_000);
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /API at http:\/\/[^:]+:(\d+)/.exec(out);
    if (match) {
      clearTimeout(timer);
      resolve(Number(match[1]));
    }
  });
});
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await sleep(1000);
const before = rss();
let answered = 0;
const sockets = [];
for (let i = 0; i < clients; i++) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    if (/^HTTP\/1\.1 401/.test(chunk.toString('latin1'))) answered++;
  });
  socket.on('connect', () => {
    socket.write(`POST /scheduler/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
    socket.write(Buffer.alloc(bodyBytes, 0x20));
  });
  sockets.push(socket);
}
let peak = before;
for (let t = 0; t < Number(values.hold) * 4; t++) {
  await sleep(250);
  peak = Math.max(peak, rss());
}
const started = Date.now();
const probe = await fetch(`http://127.0.0.1:${port}/scheduler`, { headers: { authorization: 'Bearer body-flood-token-0123456789' } });
const probeMs = Date.now() - started;
for (const socket of sockets) socket.destroy();
await sleep(2000);
const after = rss();
child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
console.log(`clients ${clients} x ${values.kib} KiB of a declared 1 MiB, unauthenticated, held ${values.hold} s`);
console.log(`401 answers before the body ended: ${answered}/${clients}`);
console.log(`RSS MiB: before ${before.toFixed(0)}, peak while held ${peak.toFixed(0)}, after ${after.toFixed(0)}`);
console.log(`GET /scheduler while held: ${probe.status} in ${probeMs} ms`);
