# Shared by the scripts that install and run a test server (sourced, not run). A script sets
#   SERVICE  its name in messages        PORT   where it listens on 127.0.0.1
#   STATE    its own directory (data, pid, server.log)
# and defines `installed` (is the package there?), `PACKAGE` (Debian's name for it) and `launch`
# (start the server in the background; its pid goes to $STATE/pid). `service_main "$@"` then
# gives the start/stop behaviour every such script has.

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# Debian's package, installed once; `apt-get update` only when the cached lists do not have it.
apt_install() {
  echo "installing Debian's $1 package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$1" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "$1" >/dev/null; }
}

# Prints `started` when this call started the server, `running` when one already answered, so a
# caller stops only what its own start began.
service_start() {
  if listening; then
    echo "$SERVICE: something already answers on 127.0.0.1:$PORT; using it" >&2
    echo running
    return
  fi
  installed || apt_install "$PACKAGE"
  mkdir -p "$STATE"
  launch
  for _ in $(seq 1 100); do
    if listening; then
      echo "$SERVICE: started on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"))" >&2
      echo started
      return
    fi
    sleep 0.2
  done
  echo "$SERVICE: did not start; see $STATE/server.log" >&2
  exit 1
}

# Stops the server only if this script started it (its pid file is there): TERM, then KILL after 5 s.
service_stop() {
  [ -f "$STATE/pid" ] || return 0
  local pid
  pid="$(cat "$STATE/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf "$STATE"
  echo "$SERVICE: stopped" >&2
}

service_main() {
  case "${1:-}" in
    start) service_start ;;
    stop) service_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
}
