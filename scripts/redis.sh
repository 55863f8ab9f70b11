#!/usr/bin/env bash
# Starts, stops or restarts a private Redis for tests: all state in DIR, TCP on a free loopback
# port, never the system instance, no persistence (the cache is only an optimisation).
# Usage: scripts/redis.sh start DIR     → prints redis://127.0.0.1:PORT/0 (also in DIR/url)
#        scripts/redis.sh stop DIR
#        scripts/redis.sh restart DIR   → stop, then start again on the same port (survival tests)
#        scripts/redis.sh pid DIR       → prints the server's process id
# A dump.rdb left in DIR (by an explicit SAVE) is loaded on start; nothing saves one by itself.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"

usage() { echo "usage: $0 start|stop|restart|pid DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }

running() { [[ -f "$dir/redis.pid" ]] && alive "$(cat "$dir/redis.pid")"; }

# Starts redis-server on port $1; returns 0 once it answers PING, 1 if it exited (port taken).
launch() {
  local port=$1 server deadline
  server=$(find_bin redis-server)
  rm -f "$dir/redis.pid"
  # --daemonize: the server must not hold the caller's stdout (url=$(... start DIR) would hang).
  "$server" --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    </dev/null >>"$dir/redis-server.out" 2>&1 || return 1
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    if answers "$port"; then
      return 0
    fi
    # The pidfile appears once the daemon runs; a server that exited (port taken) leaves none.
    if [[ -f "$dir/redis.pid" ]] && ! running; then
      return 1
    fi
    sleep 0.05
  done
  echo "redis.sh: redis-server did not answer on port $port within 20 s; log:" >&2
  tail -n 20 "$dir/redis.log" >&2 || true
  running && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  exit 1
}

start() {
  local port=${1:-} attempt
  find_bin redis-cli >/dev/null
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if running; then
    echo "redis.sh: already running in $dir" >&2
    exit 1
  fi
  if [[ -n "$port" ]]; then
    launch "$port" || {
      echo "redis.sh: redis-server could not start again on port $port; log:" >&2
      tail -n 20 "$dir/redis.log" >&2 || true
      exit 1
    }
  else
    for attempt in 1 2 3; do
      port=$(free_port)
      if launch "$port"; then
        break
      fi
      if ((attempt == 3)); then
        echo "redis.sh: redis-server exited during start; log:" >&2
        tail -n 20 "$dir/redis.log" >&2 || true
        exit 1
      fi
    done
  fi
  echo "$port" >"$dir/port"
  echo "redis://127.0.0.1:$port/0" | tee "$dir/url"
}

stop() {
  local pid deadline
  if [[ ! -f "$dir/redis.pid" ]]; then
    echo "redis.sh: no server recorded in $dir" >&2
    return 0
  fi
  pid=$(cat "$dir/redis.pid")
  if alive "$pid"; then
    kill -TERM "$pid"
    deadline=$((SECONDS + 20))
    while alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.05
    done
    if alive "$pid"; then
      echo "redis.sh: redis-server $pid did not stop in 20 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/redis.pid"
}

restart() {
  local port
  [[ -f "$dir/port" ]] || { echo "redis.sh: no port recorded in $dir" >&2; exit 1; }
  port=$(cat "$dir/port")
  stop 2>/dev/null
  start "$port"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  pid) running && cat "$dir/redis.pid" || { echo "redis.sh: not running in $dir" >&2; exit 1; } ;;
  *) usage ;;
esac
