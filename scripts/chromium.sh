#!/usr/bin/env bash
# Installs headless Chromium from Debian's `chromium` package for the dashboard's browser test
# (driven by playwright-core; no browser is ever downloaded). Idempotent: prints the binary's path.
set -euo pipefail
source "$(dirname "$0")/lib/service.sh"

find_chromium() { command -v chromium || command -v chromium-browser || true; }

bin="$(find_chromium)"
if [ -z "$bin" ]; then
  apt_install chromium
  bin="$(find_chromium)"
fi
[ -n "$bin" ] || { echo "chromium: could not install" >&2; exit 1; }
echo "$bin"
