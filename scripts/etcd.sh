#!/usr/bin/env bash
# Starts or stops the etcd server the tests use, from Debian's etcd-server package.
#   scripts/etcd.sh start   install the package if needed; start a server on 127.0.0.1:$JOBSTORE_ETCD_PORT
#                           (default 23790, peers on the port + 10) unless one answers there already
#   scripts/etcd.sh stop    stop the server, only if this script started it
# Idempotent: starting twice, or stopping what it did not start, changes nothing. `start` prints
# `started` or `running` on stdout, so a caller can stop only what its own start began. The
# package's own service (2379) is never used: it may be off, or another project's.
set -euo pipefail
source "$(dirname "$0")/lib/service.sh"

SERVICE=etcd
PACKAGE=etcd-server
PORT="${JOBSTORE_ETCD_PORT:-23790}"
PEER_PORT=$((PORT + 10))
STATE="${JOBSTORE_ETCD_DIR:-${TMPDIR:-/tmp}/jobstore-etcd-$PORT}"

installed() { command -v etcd >/dev/null; }

launch() {
  # Auto-compaction keeps 5 minutes of history: without it the database only grows (claims rewrite
  # rows), and a range read of the due index walks every index key deleted since the last
  # compaction. Five minutes is still enough for a watch to resume after a restart.
  nohup etcd --name jobstore-test --data-dir "$STATE/data" \
    --listen-client-urls "http://127.0.0.1:$PORT" --advertise-client-urls "http://127.0.0.1:$PORT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "jobstore-test=http://127.0.0.1:$PEER_PORT" \
    --auto-compaction-mode periodic --auto-compaction-retention 5m >"$STATE/server.log" 2>&1 &
  echo $! >"$STATE/pid"
}

service_main "$@"
