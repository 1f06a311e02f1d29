#!/usr/bin/env bash
# Starts or stops the ZooKeeper server the tests use, from Debian's zookeeper package.
#   scripts/zookeeper.sh start   install the package if needed; start a server on $JOBSTORE_ZK_PORT
#                                (default 2181) unless one answers there already
#   scripts/zookeeper.sh stop    stop the server, only if this script started it
# Idempotent: starting twice, or stopping what it did not start, changes nothing. `start` prints
# `started` or `running` on stdout, so a caller can stop only what its own start began.
set -euo pipefail

PORT="${JOBSTORE_ZK_PORT:-2181}"
STATE="${JOBSTORE_ZK_DIR:-${TMPDIR:-/tmp}/jobstore-zookeeper-$PORT}"
JAR=/usr/share/java/zookeeper.jar

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

install() {
  [ -f "$JAR" ] && return
  echo "installing Debian's zookeeper package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends zookeeper >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends zookeeper >/dev/null; }
}

start() {
  if listening; then
    echo "zookeeper: something already answers on 127.0.0.1:$PORT; using it" >&2
    echo running
    return
  fi
  install
  mkdir -p "$STATE/conf" "$STATE/data"
  # tickTime 500 ms lets tests use short sessions (the minimum session timeout is 2 ticks);
  # the admin server stays off so nothing takes port 8080.
  cat >"$STATE/conf/zoo.cfg" <<CFG
tickTime=500
initLimit=10
syncLimit=5
dataDir=$STATE/data
clientPort=$PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok
CFG
  cp /etc/zookeeper/conf/log4j.properties "$STATE/conf/" 2>/dev/null || true
  nohup java -Dzookeeper.log.dir="$STATE" -cp "$STATE/conf:$JAR" org.apache.zookeeper.server.ZooKeeperServerMain "$STATE/conf/zoo.cfg" >"$STATE/server.log" 2>&1 &
  echo $! >"$STATE/pid"
  for _ in $(seq 1 100); do
    if listening; then
      echo "zookeeper: started on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"))" >&2
      echo started
      return
    fi
    sleep 0.2
  done
  echo "zookeeper: did not start; see $STATE/server.log" >&2
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
  echo "zookeeper: stopped" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
