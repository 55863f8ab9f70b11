#!/usr/bin/env bash
# Starts or stops a private MariaDB for tests: all state in DIR, TCP on a free loopback port, never the
# system instance (--no-defaults: no /etc/mysql config is read).
# Usage: scripts/mariadb.sh start DIR    → prints mysql://chirp:chirp@127.0.0.1:PORT/chirp (also in DIR/url)
#        scripts/mariadb.sh stop DIR
#        scripts/mariadb.sh restart DIR  → (stops if running and) starts again on the same port with the same
#                                          data, printing the same URL (survival tests)
# The user chirp/chirp has all privileges on the database chirp and on chirp_* (for per-test databases).
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"

usage() { echo "usage: $0 start|stop|restart DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

client() { mariadb --no-defaults -S "$dir/mysql.sock" -uroot "$@"; }

# start [PORT]: a free port, or exactly PORT (restart: clients expect the server where it was).
start() {
  local fixed_port=${1:-} mariadbd install_db port pid deadline attempt
  mariadbd=$(find_bin mariadbd)
  install_db=$(find_bin mariadb-install-db)
  find_bin mariadb >/dev/null
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ -f "$dir/mariadbd.pid" ]] && kill -0 "$(cat "$dir/mariadbd.pid")" 2>/dev/null; then
    echo "mariadb.sh: already running in $dir" >&2
    exit 1
  fi
  if [[ ! -d "$dir/data/mysql" ]]; then
    "$install_db" --no-defaults --datadir="$dir/data" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 || {
      echo "mariadb.sh: mariadb-install-db failed:" >&2
      cat "$dir/install.log" >&2
      exit 1
    }
  fi
  for attempt in 1 2 3; do
    port=${fixed_port:-$(free_port)}
    # setsid + redirects: the server must not hold the caller's stdout (url=$(... start DIR) would hang).
    setsid "$mariadbd" --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --port="$port" \
      --bind-address=127.0.0.1 --user=root --pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.err" \
      --skip-name-resolve --max-connections=500 --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_unicode_ci --innodb-flush-log-at-trx-commit=2 \
      --innodb-buffer-pool-size=256M --skip-log-bin \
      </dev/null >>"$dir/mariadbd.out" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/mariadbd.pid"
    deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
      if client -e 'select 1' >/dev/null 2>&1; then
        break
      fi
      if ! kill -0 "$pid" 2>/dev/null; then
        break
      fi
      sleep 0.2
    done
    if client -e 'select 1' >/dev/null 2>&1; then
      break
    fi
    if kill -0 "$pid" 2>/dev/null; then
      echo "mariadb.sh: mariadbd did not answer within 60 s; log:" >&2
      tail -n 30 "$dir/mariadb.err" >&2 || true
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    # The server died, most likely because the port was taken meanwhile: try another port (or, on a
    # restart, the same port again a little later).
    if ((attempt == 3)); then
      echo "mariadb.sh: mariadbd exited during start; log:" >&2
      tail -n 30 "$dir/mariadb.err" >&2 || true
      exit 1
    fi
    [[ -z $fixed_port ]] || sleep 1
  done
  client <<'SQL'
CREATE DATABASE IF NOT EXISTS chirp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'chirp'@'127.0.0.1' IDENTIFIED BY 'chirp';
CREATE USER IF NOT EXISTS 'chirp'@'localhost' IDENTIFIED BY 'chirp';
GRANT ALL PRIVILEGES ON chirp.* TO 'chirp'@'127.0.0.1';
GRANT ALL PRIVILEGES ON chirp.* TO 'chirp'@'localhost';
GRANT ALL PRIVILEGES ON `chirp\_%`.* TO 'chirp'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `chirp\_%`.* TO 'chirp'@'localhost';
FLUSH PRIVILEGES;
SQL
  echo "$port" >"$dir/port"
  echo "mysql://chirp:chirp@127.0.0.1:$port/chirp" | tee "$dir/url"
}

stop() {
  local pid deadline
  if [[ ! -f "$dir/mariadbd.pid" ]]; then
    echo "mariadb.sh: no server recorded in $dir" >&2
    return 0
  fi
  pid=$(cat "$dir/mariadbd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "mariadb.sh: mariadbd $pid did not stop in 60 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/mariadbd.pid"
}

restart() {
  local port
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ ! -f "$dir/port" ]]; then
    echo "mariadb.sh: no server was started in $dir (no $dir/port); use start" >&2
    exit 1
  fi
  port=$(cat "$dir/port")
  if [[ -f "$dir/mariadbd.pid" ]]; then stop; fi
  start "$port"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  *) usage ;;
esac
