// Where the running Node's own C headers are, for node-gyp: `<prefix>/include/node`, as Node's
// release tarballs and distribution packages (Debian's libnode-dev, NodeSource) install them.
// Used by the workspace's .pnpmfile.cjs and by node-gyp.cjs; plain CommonJS, no dependencies.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

/** `<prefix>` of the Node running this file: the folder above its `bin/`. */
function nodePrefix(execPath = process.execPath) {
  return path.dirname(path.dirname(execPath));
}

/** The version `node_version.h` under `dir` declares, or undefined when there is none. */
function headersVersion(dir) {
  const file = path.join(dir, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const part = (name) => new RegExp(`#define\\s+NODE_${name}_VERSION\\s+(\\d+)`).exec(text)?.[1];
  const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return major && minor && patch ? `${major}.${minor}.${patch}` : undefined;
}

/**
 * The `nodedir` for node-gyp: the running Node's prefix when its headers are there and are of this
 * very version (headers of another version would build an addon that fails to load); else undefined.
 */
function findNodeDir(execPath = process.execPath, version = process.versions.node) {
  const prefix = nodePrefix(execPath);
  return headersVersion(prefix) === version ? prefix : undefined;
}

module.exports = { findNodeDir, headersVersion, nodePrefix };
