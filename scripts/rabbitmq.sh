#!/usr/bin/env bash
# Starts or stops a private RabbitMQ for tests (/work/shared/SERVICES.md): its own node name, AMQP,
# distribution and epmd ports, and all state (cookie, mnesia, logs) in DIR; never the system node.
# Usage: scripts/rabbitmq.sh start DIR    → prints amqp://guest:guest@127.0.0.1:PORT/%2F (also DIR/url)
#        scripts/rabbitmq.sh stop DIR     → stops the node and its private epmd
#        scripts/rabbitmq.sh restart DIR  → (stops if running and) starts again on the same node name
#                                           and ports, keeping the durable queues (survival tests)
# The settings of the first start are saved in DIR/env; stop and restart reuse them.
#
# The /usr/sbin wrappers switch to the rabbitmq user, which cannot write a root-owned DIR, so the
# scripts in /usr/lib/rabbitmq/bin are called directly.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"

usage() { echo "usage: $0 start|stop|restart DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

RABBIT_BIN=/usr/lib/rabbitmq/bin
[[ -x $RABBIT_BIN/rabbitmq-server ]] || {
  echo "rabbitmq.sh: $RABBIT_BIN/rabbitmq-server not found (run scripts/install-deps.sh)" >&2
  exit 1
}

ctl() { "$RABBIT_BIN/rabbitmqctl" -n "$RABBITMQ_NODENAME" "$@"; }

# Writes DIR/env once; later starts reuse it so the broker comes back where clients expect it.
make_env() {
  local suffix amqp_port dist_port epmd_port
  suffix=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
  amqp_port=$(free_port)
  dist_port=$(free_port)
  epmd_port=$(free_port)
  while [[ $dist_port == "$amqp_port" ]]; do dist_port=$(free_port); done
  while [[ $epmd_port == "$amqp_port" || $epmd_port == "$dist_port" ]]; do epmd_port=$(free_port); done
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  : >"$dir/enabled_plugins"
  cat >"$dir/env" <<EOF
export HOME='$dir/home'
export RABBITMQ_NODENAME='chirp-$suffix@localhost'
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp_port
export RABBITMQ_DIST_PORT=$dist_port
export ERL_EPMD_PORT=$epmd_port
export RABBITMQ_MNESIA_BASE='$dir/mnesia'
export RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins'
export RABBITMQ_PID_FILE='$dir/rabbitmq.pid'
EOF
}

running() { [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }

start() {
  local started_at url
  started_at=${EPOCHREALTIME/./}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ -f $dir/env ]] || make_env
  # shellcheck source=/dev/null
  source "$dir/env"
  if running; then
    echo "rabbitmq.sh: already running in $dir" >&2
    exit 1
  fi
  rm -f "$RABBITMQ_PID_FILE"
  # setsid + redirects: the node must not hold the caller's stdout (url=$(... start DIR) would hang).
  setsid "$RABBIT_BIN/rabbitmq-server" -detached </dev/null >>"$dir/server.out" 2>&1
  # rabbitmq-server -detached writes the pid file only once the VM is up; wait for it first.
  local deadline=$((SECONDS + 30))
  while [[ ! -s $RABBITMQ_PID_FILE ]] && ((SECONDS < deadline)); do sleep 0.1; done
  if ! ctl wait --timeout 90 "$RABBITMQ_PID_FILE" >>"$dir/server.out" 2>&1; then
    echo "rabbitmq.sh: node $RABBITMQ_NODENAME did not start; log:" >&2
    tail -n 30 "$dir/server.out" >&2 || true
    tail -n 30 "$RABBITMQ_LOG_BASE/$RABBITMQ_NODENAME.log" >&2 2>/dev/null || true
    exit 1
  fi
  url="amqp://guest:guest@127.0.0.1:$RABBITMQ_NODE_PORT/%2F"
  echo "$url" >"$dir/url"
  local elapsed_ms=$(((${EPOCHREALTIME/./} - started_at) / 1000))
  echo "rabbitmq.sh: $RABBITMQ_NODENAME ready in $elapsed_ms ms" | tee -a "$dir/server.out" >&2
  echo "$url"
}

stop() {
  if [[ ! -f $dir/env ]]; then
    echo "rabbitmq.sh: no node recorded in $dir" >&2
    return 0
  fi
  # shellcheck source=/dev/null
  source "$dir/env"
  if running; then
    ctl stop "$RABBITMQ_PID_FILE" >>"$dir/server.out" 2>&1 || {
      echo "rabbitmq.sh: rabbitmqctl stop failed; killing the node" >&2
      kill -KILL "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null || true
    }
  fi
  rm -f "$RABBITMQ_PID_FILE"
  # Ends the private epmd (ERL_EPMD_PORT from DIR/env); other Erlang nodes use other epmds.
  epmd -kill >/dev/null 2>&1 || true
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart)
    stop
    start
    ;;
  *) usage ;;
esac
