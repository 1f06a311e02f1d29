#!/usr/bin/env bash
# Starts or stops the ZooKeeper server the tests use, from Debian's zookeeper package.
#   scripts/zookeeper.sh start   install the package if needed; start a server on $JOBSTORE_ZK_PORT
#                                (default 2181) unless one answers there already
#   scripts/zookeeper.sh stop    stop the server, only if this script started it
# Idempotent: starting twice, or stopping what it did not start, changes nothing. `start` prints
# `started` or `running` on stdout, so a caller can stop only what its own start began.
set -euo pipefail
source "$(dirname "$0")/lib/service.sh"

SERVICE=zookeeper
PACKAGE=zookeeper
PORT="${JOBSTORE_ZK_PORT:-2181}"
STATE="${JOBSTORE_ZK_DIR:-${TMPDIR:-/tmp}/jobstore-zookeeper-$PORT}"
JAR=/usr/share/java/zookeeper.jar

installed() { [ -f "$JAR" ]; }

launch() {
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
}

service_main "$@"
