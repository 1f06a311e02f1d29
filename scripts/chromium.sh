#!/usr/bin/env bash
# Installs headless Chromium from Debian's `chromium` package for the dashboard's browser test
# (driven by playwright-core; no browser is ever downloaded). Idempotent: prints the binary's path.
set -euo pipefail

find_chromium() { command -v chromium || command -v chromium-browser || true; }

bin="$(find_chromium)"
if [ -z "$bin" ]; then
  echo "installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
  bin="$(find_chromium)"
fi
[ -n "$bin" ] || { echo "chromium: could not install" >&2; exit 1; }
echo "$bin"
