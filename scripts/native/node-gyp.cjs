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
  const headers = env.npm_config_nodedir || findNodeDir();
  if (headers === undefined) missing.push(`Node's headers (none for ${process.version} in ${path.join(nodePrefix(), 'include', 'node')})`);
  for (const [tool, names] of [['python3', ['python3', 'python']], ['make', ['make']], ['a C++ compiler', ['c++', 'g++', 'clang++']]]) {
    if (process.platform !== 'win32' && !names.some(onPath)) missing.push(tool);
  }
  const lacking = missing.length > 0 ? `this machine lacks ${missing.join(', ')}` : 'see the compiler output above';
  return (
    `jobstore: ${pkg} could not be installed: no prebuilt binary could be downloaded, and compiling it failed (${lacking}). ` +
    `Install python3, make, a C++ compiler and Node's headers (Debian/Ubuntu: apt install python3 make g++ libnode-dev; Node's official builds include the headers), ` +
    `or let the install download the prebuilt binary (github.com) or the headers (nodejs.org).`
  );
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
