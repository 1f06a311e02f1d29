// pnpm hooks for this workspace. pnpm 11 and later hand lifecycle scripts only a fixed set of
// settings and environment variables, so npm's `nodedir` (and any npm_config_* a user exported)
// never reaches node-gyp, which then tries to download Node's headers and fails where there is no
// network. better-sqlite3 builds from source wherever no prebuilt binary can be downloaded.
'use strict';
const path = require('node:path');
const { findNodeDir } = require('./scripts/native/node-headers.cjs');

function updateConfig(config) {
  const extraEnv = { ...config.extraEnv };
  // What the user exported for npm (a binary mirror, nodedir, python) reaches the scripts, as with npm.
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_config_/i.test(key) && value !== undefined && !(key in extraEnv)) extraEnv[key] = value;
  }
  // The running Node's own headers, when present, so compiling never needs a download.
  const nodedir = findNodeDir();
  if (nodedir !== undefined && extraEnv.npm_config_nodedir === undefined) extraEnv.npm_config_nodedir = nodedir;
  // node-gyp through a wrapper that says in one line what is missing when a build fails.
  if (extraEnv.npm_config_node_gyp === undefined) extraEnv.npm_config_node_gyp = path.join(__dirname, 'scripts', 'native', 'node-gyp.cjs');
  return { ...config, extraEnv };
}

module.exports = { hooks: { updateConfig } };
