#!/usr/bin/env node
// node-gyp as pnpm runs it for this workspace's native dependencies (.pnpmfile.cjs points
// npm_config_node_gyp here): the node-gyp pnpm would have run, then, if the build fails, one line
// that says what this machine lacks. node-gyp's own failure is pages long and blames the network.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { findNodeDir, nodePrefix } = require('./node-headers.cjs');

const env = { ...process.env };
// Unset, pnpm's node-gyp shim (first on PATH after the package's own .bin) runs its bundled node-gyp.
delete env.npm_config_node_gyp;
const result = spawnSync('node-gyp', process.argv.slice(2), { stdio: 'inherit', env, shell: process.platform === 'win32' });
const status = result.status ?? 1;
if (status !== 0) process.stderr.write(`${explain(env)}\n`);
process.exit(status);

function explain(env) {
  const pkg = env.npm_package_name ?? 'a native package';
  const missing = [];
  if (!env.npm_config_nodedir && findNodeDir() === undefined) missing.push(`Node's headers for ${process.version} (not in ${path.join(nodePrefix(), 'include', 'node')})`);
  for (const [tool, names] of [
    ['python3', ['python3', 'python']],
    ['make', ['make']],
    ['a C++ compiler', ['c++', 'g++', 'clang++']],
  ]) {
    if (process.platform !== 'win32' && !names.some(onPath)) missing.push(tool);
  }
  const head = `jobstore: ${pkg} could not be installed: no prebuilt binary could be downloaded, and`;
  if (missing.length === 0) return `${head} compiling it failed (see the compiler's output above).`;
  return (
    `${head} compiling it needs what this machine lacks: ${missing.join(', ')}. ` +
    `Install python3, make, a C++ compiler and Node's headers (Debian/Ubuntu: apt install python3 make g++ libnode-dev; Node's official builds include the headers), ` +
    `or allow downloads from github.com (the prebuilt binary) or nodejs.org (the headers).`
  );
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
