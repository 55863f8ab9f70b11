#!/usr/bin/env bash
# chirp's benchmark (GitHub issue #7; targets in ../shared/DESIGN.md §8; how to read the output in
# docs/BENCHMARKS.md). One command: installs what it needs, builds, seeds, starts chirp, runs the
# scenarios, prints a markdown table and writes a JSON results file.
#
# Usage: bench/run.sh [embedded|full] [options]
#   embedded (default)  SQLite + in-process caches and job queue + RocksDB, in a temporary data dir
#   full                private MariaDB, Redis, Memcached, RabbitMQ and HBase (scripts/*.sh, free
#                       loopback ports, a temporary directory), friendships and feeds in HBase
#                       (friendship_kv_only = newsfeed_kv_only = 100), `chirp worker` processes;
#                       HBase in CHIRP_HBASE_MODE=bench unless the environment sets another mode
#
# Two data sets, each in a fresh database, each with a server of its own:
#   M (main)   --users 10000 --follows 1000000 --tweets 200000 (chirp seed's defaults): scenarios
#              (a) GET /healthz, the reference; (b) GET /api/newsfeeds/ by --tokens logged-in users;
#              (c) GET /api/tweets/?user_id= of random users; (d) the mix 60% feed / 30% timeline /
#              10% POST /api/tweets/ — each a wrk run of --duration s after --warmup s, ONE wrk
#              thread, --connections connections (bench/lua/*.lua)
#   F (fan-out) --users 1000002 --star-followers 1000000,100000: user 1 has 1,000,000 followers
#              (pull mode), user 2 100,000 (pushed: --celebrity-threshold 500000 on seed, serve and
#              workers): (a) again as this server's reference; (e) bench/bench.py fanout: POSTs as
#              user 2 and the time until every follower's feed shows the tweet; (f) bench/bench.py
#              celebrity: POSTs as user 1 against a 10-follower author (latency, jobs/feed rows per
#              tweet), then wrk feed reads by 1,000 followers of user 1 (the merge path)
#
# Options:
#   --quick                 5 s per scenario after a 2 s warm-up, 5 tweets in (e) and (f)
#   --duration S            seconds each wrk scenario is measured (default 20)
#   --warmup S              seconds of wrk warm-up before each, not measured (default 5)
#   --connections N         wrk connections (default 64; always one wrk thread: 2 cores are shared)
#   --tokens N              users logged in for the wrk scenarios, spread over the ids (default 1000)
#   --users N, --follows N, --tweets N   data set M (defaults 10000, 1000000, 200000)
#   --big-users N           data set F's users (default 1000002)
#   --star-followers LIST   data set F's stars' followers (default 1000000,100000)
#   --threshold N           --celebrity-threshold for data set F (default 500000; must exceed user 2's
#                           followers so its tweets are pushed, and be below user 1's)
#   --fanout-tweets K       tweets posted in (e) and in (f) by each author (default 20)
#   --scenarios LIST        which of a,b,c,d,e,f to run (default all; e/f need data set F, seeded
#                           only when one of them is asked for)
#   --workers N             full stack: `chirp worker` processes (default 1)
#   --log-level LEVEL       serve's log level (default info: one access-log line per request, as in
#                           production; the log goes to a file)
#   --serve-arg ARG         extra argument for `chirp serve` (repeatable; e.g. --serve-arg=--io-threads=2)
#   --out DIR               where results go (default: a new /tmp/chirp-bench-results.XXXXXX; bench/results/
#                           is git-ignored if you prefer it): results.json, results.md, logs
#   --no-install            skip scripts/install-deps.sh (wrk and python3 must be there)
#   --no-build              use build/chirp as it is (skip scripts/build.sh)
#   --keep                  keep the temporary data directory (its path is printed)
#
# Exit status: 0 when every scenario ran without a non-2xx response, socket error or timeout;
# 1 when one did (its row says INVALID: wrk counts errors as throughput) or a step failed.
# Every service and chirp process it starts is stopped on exit, also on failure or Ctrl-C.
set -euo pipefail
# The whole script is one { … } block: bash reads it completely before running it, so editing this
# file while a benchmark runs does not change the running one.
{
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS
invocation="bench/run.sh $*"

mode=embedded
duration=20 warmup=5 connections=64 ntokens=1000
users=10000 follows=1000000 tweets=200000
big_users=1000002 star_followers=1000000,100000 threshold=500000
fanout_tweets=20 scenarios=a,b,c,d,e,f workers=1 log_level=info
out="" do_install=1 do_build=1 keep=0 quick=0
serve_extra=()

die() { echo "bench: $*" >&2; exit 1; }
while (($#)); do
  case "$1" in
    embedded|full) mode=$1 ;;
    --quick) quick=1; duration=5; warmup=2; fanout_tweets=5 ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --connections) connections=$2; shift ;;
    --tokens) ntokens=$2; shift ;;
    --users) users=$2; shift ;;
    --follows) follows=$2; shift ;;
    --tweets) tweets=$2; shift ;;
    --big-users) big_users=$2; shift ;;
    --star-followers) star_followers=$2; shift ;;
    --threshold) threshold=$2; shift ;;
    --fanout-tweets) fanout_tweets=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --workers) workers=$2; shift ;;
    --log-level) log_level=$2; shift ;;
    --serve-arg) serve_extra+=("$2"); shift ;;
    --serve-arg=*) serve_extra+=("${1#--serve-arg=}") ;;
    --out) out=$2; shift ;;
    --no-install) do_install=0 ;;
    --no-build) do_build=0 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see bench/run.sh --help)" ;;
  esac
  shift
done
want() { [[ ",$scenarios," == *",$1,"* ]]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/chirp-bench.XXXXXX")
[[ -n $out ]] || out=$(mktemp -d "${TMPDIR:-/tmp}/chirp-bench-results.XXXXXX")
mkdir -p "$out"
out=$(cd "$out" && pwd)
results=$out/results.jsonl
: >"$results"
meta=$out/meta.env
: >"$meta"
note() { printf '%s=%s\n' "$1" "$2" >>"$meta"; }
log() { printf '[bench %4ds] %s\n' $((SECONDS - started)) "$*" >&2; }

chirp_pids=()
child=""
reported=0
stack_dirs=()   # "service dir" pairs started by start_stack

stop_chirp() {
  local pid
  for pid in "${chirp_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${chirp_pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  chirp_pids=()
}

stop_stack() {
  local entry
  for entry in "${stack_dirs[@]}"; do
    set -- $entry
    scripts/$1.sh stop "$2" >/dev/null 2>&1 || echo "bench: stopping $1 failed" >&2
  done
  stack_dirs=()
}

cleanup() {
  local rc=$?
  trap - EXIT
  if [[ -n $child ]]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  stop_chirp
  stop_stack
  if ((!reported)) && [[ -s $results ]]; then
    echo "bench: the run stopped early (exit $rc); partial results:" >&2
    python3 "$root/bench/bench.py" report --results "$results" --markdown "$out/results.md" \
      --json "$out/results.json" || true
  fi
  if ((keep)); then echo "bench: data kept in $work" >&2; else rm -rf "$work"; fi
  echo "bench: results in $out ($(((SECONDS - started) / 60))m $(((SECONDS - started) % 60))s)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ setup
if ((do_install)); then
  log "installing dependencies (scripts/install-deps.sh)"
  scripts/install-deps.sh >"$out/install.log" 2>&1 || { cat "$out/install.log" >&2; die "install-deps failed"; }
fi
command -v wrk >/dev/null || die "wrk not found (scripts/install-deps.sh installs it)"
command -v python3 >/dev/null || die "python3 not found"
if ((do_build)); then
  log "building (scripts/build.sh release)"
  scripts/build.sh release >"$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; die "build failed"; }
fi
# A copy: build/chirp may be rebuilt while the benchmark runs; every step uses the same binary.
# (A copy taken while the linker writes it fails to run: wait and copy again.)
chirp=$work/chirp
for attempt in 1 2 3 4 5 6; do
  cp "$root/build/chirp" "$chirp" 2>/dev/null && "$chirp" serve --help >/dev/null 2>&1 && break
  ((attempt < 6)) || die "build/chirp is missing or does not run (being rebuilt?)"
  log "build/chirp is missing or does not run (being rebuilt?); waiting"
  sleep 10
done
if ! "$chirp" seed --help | grep -q -- --star-followers && { want e || want f; }; then
  die "this chirp seed has no --star-followers (needed by scenarios e and f); rebuild, or --scenarios a,b,c,d"
fi

# run_child CMD...: runs CMD as a child the EXIT trap can stop (a foreground child would delay the trap
# until it ends).
run_child() {
  "$@" &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}
bench() { run_child python3 "$root/bench/bench.py" "$@"; }

note date "$(date -u '+%Y-%m-%d %H:%M UTC')"
note commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
note mode "$mode"
note machine "$(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
note load_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $mode == full ]]; then note hbase_mode "${CHIRP_HBASE_MODE:-bench}"; fi
note chirp_binary "build/chirp of $(stat -c '%y' "$root/build/chirp" | cut -d. -f1), sha256 $(sha256sum "$chirp" | cut -c1-12)"
note wrk "1 thread, $connections connections, ${duration}s after ${warmup}s warm-up; $ntokens logged-in users"
note command "$invocation"

# ------------------------------------------------------------------ the stack
storage=()
# start_stack TAG: the embedded data dir, or private MariaDB/Redis/Memcached/RabbitMQ/HBase (full).
start_stack() {
  local tag=$1 dir=$work/$1 url
  mkdir -p "$dir"
  storage=(--data-dir "$dir/data")
  [[ $mode == full ]] || return 0
  log "starting MariaDB, Redis, Memcached, RabbitMQ, HBase for data set $tag"
  local s
  for s in mariadb redis memcached rabbitmq hbase; do
    # HBase in bench mode (scripts/hbase.sh): full JIT, bigger heap, write path tuned for bulk loads.
    url=$(CHIRP_HBASE_MODE=${CHIRP_HBASE_MODE:-bench} scripts/$s.sh start "$dir/$s" 2>>"$out/services.log") ||
      die "starting $s failed (see $out/services.log)"
    stack_dirs+=("$s $dir/$s")
    printf -v "url_$s" '%s' "$url"
    log "  $s at $url"
  done
  storage+=(--database-url "$url_mariadb" --redis-url "$url_redis" --memcached-url "$url_memcached"
            --amqp-url "$url_rabbitmq" --kv-url "${url_hbase%/}/bench_${tag,,}")
  # Friendships and feeds in HBase, before seeding (seed writes where the switches say).
  local sw
  for sw in friendship_kv_only newsfeed_kv_only; do
    "$chirp" gatekeeper set "$sw" --percent 100 "${storage[@]}" >/dev/null || die "gatekeeper set $sw failed"
  done
}

url=""
# start_chirp TAG ARGS...: serve (and workers on the full stack) with extra ARGS (fan-out settings).
start_chirp() {
  local tag=$1
  shift
  local port
  port=$(free_port)
  url=http://127.0.0.1:$port
  "$chirp" serve "${storage[@]}" --rate-limits off --password-cost min --listen "127.0.0.1:$port" \
    --log-level "$log_level" "$@" "${serve_extra[@]}" >"$out/serve-$tag.log" 2>&1 &
  chirp_pids+=($!)
  pids="serve=$!"
  local deadline=$((SECONDS + 120))
  until curl -sf "$url/healthz" >/dev/null 2>&1; do
    kill -0 "${chirp_pids[-1]}" 2>/dev/null || { tail -20 "$out/serve-$tag.log" >&2; die "chirp serve exited"; }
    ((SECONDS < deadline)) || die "chirp serve did not answer within 120 s"
    sleep 0.2
  done
  if [[ $mode == full ]]; then
    local i
    for ((i = 1; i <= workers; i++)); do
      "$chirp" worker "${storage[@]}" --password-cost min --log-level info "$@" \
        >"$out/worker-$tag-$i.log" 2>&1 &
      chirp_pids+=($!)
      pids+=",worker$i=$!"
      deadline=$((SECONDS + 60))
      until grep -q consuming "$out/worker-$tag-$i.log"; do
        kill -0 "${chirp_pids[-1]}" 2>/dev/null || { tail -20 "$out/worker-$tag-$i.log" >&2; die "chirp worker exited"; }
        ((SECONDS < deadline)) || die "chirp worker did not start consuming within 60 s"
        sleep 0.2
      done
    done
  fi
  log "chirp at $url ($pids)"
  pids+=$(stack_pids)
}

# ",svc-NAME=PID..." of the running services (CPU and RSS are sampled; not counted as chirp's).
stack_pids() {
  local entry name dir pid
  for entry in "${stack_dirs[@]}"; do
    set -- $entry
    name=$1 dir=$2 pid=""
    case "$name" in
      mariadb) pid=$(cat "$dir/mariadbd.pid" 2>/dev/null) ;;
      hbase) pid=$(scripts/hbase.sh pid "$dir" 2>/dev/null) ;;
      *) pid=$(cat "$dir/$name.pid" 2>/dev/null) ;;
    esac
    [[ $pid =~ ^[0-9]+$ ]] && printf ',svc-%s=%s' "$name" "$pid"
  done
  return 0
}

# seed TAG ARGS...: chirp seed into the current storage, timed.
# On the full stack a failed seed (seen: an HBase put timing out on a busy machine) is retried once
# on a fresh stack (seed needs an empty database).
seed() {
  local tag=$1 t0=$SECONDS attempt
  shift
  for attempt in 1 2; do
    log "seeding data set $tag: $*"
    if run_child "$chirp" seed "${storage[@]}" --password-cost min "$@" >"$out/seed-$tag.log" 2>&1; then
      break
    fi
    tail -5 "$out/seed-$tag.log" >&2
    cp "$out/seed-$tag.log" "$out/seed-$tag.failed-$attempt.log"
    note "seed_${tag}_failed_attempt_$attempt" "$(tail -1 "$out/seed-$tag.log")"
    [[ $mode == full && $attempt == 1 ]] || die "seed $tag failed"
    log "seed $tag failed; starting a fresh stack and seeding again"
    stop_stack
    rm -rf "${work:?}/$tag"
    start_stack "$tag"
    t0=$SECONDS
  done
  note "seed_${tag}_seconds" "$((SECONDS - t0))"
  note "seed_${tag}" "$(tail -1 "$out/seed-$tag.log")"
  log "  $(tail -1 "$out/seed-$tag.log") (wall $((SECONDS - t0)) s)"
}

# scenario ID NAME GROUP ARGS...: one wrk scenario through bench.py.
scenario() {
  local id=$1 name=$2 group=$3
  shift 3
  log "scenario $name"
  bench wrk --url "$url" --id "$id" --name "$name" --group "$group" --pids "$pids" --results "$results" \
    --log "$out/wrk.log" --duration "$duration" --warmup "$warmup" --connections "$connections" "$@"
}

# ------------------------------------------------------------------ data set M: (a)–(d)
if want a || want b || want c || want d; then
  start_stack M
  seed M --users "$users" --follows "$follows" --tweets "$tweets"
  start_chirp M
  log "logging in $ntokens users"
  bench tokens --url "$url" --out "$work/tokens-M" --range "1-$users" --count "$ntokens"
  common=(--tokens "$work/tokens-M" --users "$users")
  scenario healthz "(a) GET /healthz (reference)" M --scenario healthz "${common[@]}"
  # Warm caches (the target is for a warm cache): every logged-in user's first feed page once.
  want b && bench warm --url "$url" --tokens "$work/tokens-M"
  want b && scenario newsfeed "(b) GET /api/newsfeeds/" M --scenario newsfeed "${common[@]}"
  want c && scenario timeline "(c) GET /api/tweets/?user_id=" M --scenario timeline "${common[@]}"
  want d && scenario mixed "(d) mixed 60% feed / 30% timeline / 10% post" M --scenario mixed "${common[@]}" --drain
  stop_chirp
  stop_stack
fi

# ------------------------------------------------------------------ data set F: (e), (f)
if want e || want f; then
  start_stack F
  seed F --users "$big_users" --follows 0 --tweets 0 --likes 0 --comments 0 \
    --star-followers "$star_followers" --celebrity-threshold "$threshold"
  start_chirp F --celebrity-threshold "$threshold"
  IFS=, read -r -a stars <<<"$star_followers"
  nstars=${#stars[@]}
  first=$((nstars + 1))
  scenario healthz "(a) GET /healthz (reference, data set F)" F --scenario healthz
  if want e; then
    log "scenario (e): fan-out of user 2's tweets to ${stars[1]} followers"
    bench fanout --url "$url" --author 2 --first-follower "$first" --followers "${stars[1]}" \
      --tweets "$fanout_tweets" --group F --pids "$pids" --results "$results"
  fi
  if want f; then
    sqlite=()
    [[ $mode == embedded ]] && sqlite=(--sqlite "$work/F/data/chirp.db")
    log "scenario (f): user 1 (${stars[0]} followers, pull mode)"
    bench celebrity --url "$url" --author 1 --first-follower "$first" --followers "${stars[0]}" \
      --quiet-author "$big_users" --quiet-from $((first + stars[0] / 2)) --tweets "$fanout_tweets" \
      --group F --pids "$pids" --results "$results" "${sqlite[@]}"
    log "logging in $ntokens followers of user 1"
    bench tokens --url "$url" --out "$work/tokens-F" --range "$first-$((first + stars[0] - 1))" --count "$ntokens"
    bench warm --url "$url" --tokens "$work/tokens-F"
    scenario feed-celebrity "(f) GET /api/newsfeeds/ by followers of the ${stars[0]}-follower author" F \
      --scenario newsfeed --tokens "$work/tokens-F" --users "$big_users"
  fi
  stop_chirp
  stop_stack
fi

# ------------------------------------------------------------------ report
note total_seconds "$((SECONDS - started))"
python3 - "$meta" "$out/meta.json" <<'EOF'
import json, sys
meta = {}
for line in open(sys.argv[1]):
    k, _, v = line.rstrip("\n").partition("=")
    meta[k] = v
json.dump(meta, open(sys.argv[2], "w"), indent=1)
EOF
echo
rc=0
reported=1
bench report --results "$results" --meta "$out/meta.json" --markdown "$out/results.md" --json "$out/results.json" || rc=$?
if ((rc)); then
  echo "bench: INVALID run: a scenario had non-2xx responses, socket errors or timeouts" >&2
fi
exit "$rc"
}
