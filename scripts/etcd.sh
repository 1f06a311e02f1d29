#!/usr/bin/env bash
# Starts or stops the etcd server the tests use, from Debian's etcd-server package.
#   scripts/etcd.sh start   install the package if needed; start a server on 127.0.0.1:$JOBSTORE_ETCD_PORT
#                           (default 23790, peers on the port + 10) unless one answers there already
#   scripts/etcd.sh stop    stop the server, only if this script started it
# Idempotent: starting twice, or stopping what it did not start, changes nothing. `start` prints
# `started` or `running` on stdout, so a caller can stop only what its own start began. The
# package's own service (2379) is never used: it may be off, or another project's.
set -euo pipefail

PORT="${JOBSTORE_ETCD_PORT:-23790}"
PEER_PORT=$((PORT + 10))
STATE="${JOBSTORE_ETCD_DIR:-${TMPDIR:-/tmp}/jobstore-etcd-$PORT}"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

install() {
  command -v etcd >/dev/null && return
  echo "installing Debian's etcd-server package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends etcd-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends etcd-server >/dev/null; }
}

start() {
  if listening; then
    echo "etcd: something already answers on 127.0.0.1:$PORT; using it" >&2
    echo running
    return
  fi
  install
  mkdir -p "$STATE"
  # Auto-compaction keeps 5 minutes of history: without it the database only grows (claims rewrite
  # rows), and a range read of the due index walks every index key deleted since the last
  # compaction. Five minutes is still enough for a watch to resume after a restart.
  nohup etcd --name jobstore-test --data-dir "$STATE/data" \
    --listen-client-urls "http://127.0.0.1:$PORT" --advertise-client-urls "http://127.0.0.1:$PORT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "jobstore-test=http://127.0.0.1:$PEER_PORT" \
    --auto-compaction-mode periodic --auto-compaction-retention 5m >"$STATE/server.log" 2>&1 &
  echo $! >"$STATE/pid"
  for _ in $(seq 1 100); do
    if listening; then
      echo "etcd: started on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"))" >&2
      echo started
      return
    fi
    sleep 0.2
  done
  echo "etcd: did not start; see $STATE/server.log" >&2
  exit 1
}

stop() {
  [ -f "$STATE/pid" ] || return 0
  local pid
  pid="$(cat "$STATE/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf "$STATE"
  echo "etcd: stopped" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
