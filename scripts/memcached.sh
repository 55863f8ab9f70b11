#!/usr/bin/env bash
# Starts or stops a private memcached for tests: TCP on a free loopback port, no UDP, state (pid,
# port, url, log) in DIR, never the system instance.
# Usage: scripts/memcached.sh start DIR    → prints memcached://127.0.0.1:PORT (also in DIR/url)
#        scripts/memcached.sh stop DIR
#        scripts/memcached.sh restart DIR  → stop, then start on the same port (an empty cache):
#                                            survival tests take the cache away and give it back
#        scripts/memcached.sh pause|resume DIR → SIGSTOP / SIGCONT: a server that hangs (requests
#                                            time out) and then answers again with its data intact,
#                                            as after a network partition
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"

usage() { echo "usage: $0 start|stop|restart|pause|resume DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

# True when a memcached answers "version" on the port (bash's /dev/tcp: no client tool needed).
answers() {
  local port=$1 reply
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'version\r\n' >&3
  IFS= read -r -t 2 reply <&3 || reply=
  exec 3<&- 3>&-
  [[ $reply == VERSION* ]]
}

running_pid() {
  local pid
  [[ -f "$dir/memcached.pid" ]] || return 1
  pid=$(cat "$dir/memcached.pid" 2>/dev/null) || return 1
  [[ -n $pid ]] && alive "$pid" && echo "$pid"
}

# Starts memcached on PORT; returns 1 when it did not come up (e.g. the port was taken meanwhile).
launch() {
  local memcached=$1 port=$2 deadline
  rm -f "$dir/memcached.pid"
  # -d daemonizes (the caller's stdout is not held); -P records the daemon's pid.
  "$memcached" -d -p "$port" -l 127.0.0.1 -U 0 -m 64 -c 1024 -u root -P "$dir/memcached.pid" \
    </dev/null >>"$dir/memcached.log" 2>&1 || return 1
  deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    if answers "$port"; then
      return 0
    fi
    sleep 0.05
  done
  # Did not answer: stop whatever started so nothing is left behind.
  local pid
  if pid=$(running_pid); then kill -KILL "$pid" 2>/dev/null || true; fi
  return 1
}

start() {
  local memcached port attempt
  memcached=$(find_bin memcached)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if running_pid >/dev/null; then
    echo "memcached.sh: already running in $dir" >&2
    exit 1
  fi
  port=${1:-}
  for attempt in 1 2 3; do
    [[ -n $port ]] || port=$(free_port)
    if launch "$memcached" "$port"; then
      echo "$port" >"$dir/port"
      echo "memcached://127.0.0.1:$port" | tee "$dir/url"
      return 0
    fi
    if [[ -n ${1:-} ]]; then
      echo "memcached.sh: memcached did not start on port $port; log:" >&2
      tail -n 20 "$dir/memcached.log" >&2 || true
      exit 1
    fi
    port=
  done
  echo "memcached.sh: memcached did not start; log:" >&2
  tail -n 20 "$dir/memcached.log" >&2 || true
  exit 1
}

stop() {
  local pid deadline
  if ! pid=$(running_pid); then
    rm -f "$dir/memcached.pid"
    return 0
  fi
  # memcached keeps nothing on disk, so it is killed outright: SIGTERM costs ~2 s while it joins
  # its background threads, and survival tests stop it often.
  kill -KILL "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.02
  done
  if alive "$pid"; then
    echo "memcached.sh: memcached $pid did not stop in 10 s" >&2
    exit 1
  fi
  rm -f "$dir/memcached.pid"
}

restart() {
  local port
  [[ -f "$dir/port" ]] || { echo "memcached.sh: no port recorded in $dir" >&2; exit 1; }
  port=$(cat "$dir/port")
  stop
  start "$port"
}

signal_server() {
  local pid
  pid=$(running_pid) || { echo "memcached.sh: no server running in $dir" >&2; exit 1; }
  kill "-$1" "$pid"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  pause) signal_server STOP ;;
  resume) signal_server CONT ;;
  *) usage ;;
esac
