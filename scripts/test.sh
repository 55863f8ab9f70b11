#!/usr/bin/env bash
# The project's test command (README; .ci/run calls exactly this). On a fresh Debian 12 machine, as root:
# installs packages, builds, runs the unit tests, the functional suite on SQLite (friendships and feeds in
# SQL, then again in the embedded RocksDB wide-column store), on a private MariaDB and on the full stack
# (MariaDB + private Redis, Memcached, RabbitMQ and HBase, with friendships and feeds in HBase mirrored to
# MariaDB; with the cache/queue/HBase unit tests and the survival tests that stop and restart those
# servers), then a sanitizer build with its unit tests and a functional smoke pass. The storage migration
# drill (test_migration_drill.py) runs on SQLite + RocksDB and on the full stack. Every service it starts is private (free ports, a temporary directory) and stopped
# on exit, also on failure.
# Usage: scripts/test.sh
# Environment: CHIRP_TEST_SKIP_ASAN=1 skips the sanitizer pass (for quick local runs only).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/chirp-test.XXXXXX")
mariadb_dir=""
redis_dir=""
memcached_dir=""
rabbitmq_dir=""
hbase_dir=""
results=()
failed=0

summary() {
  local elapsed=$((SECONDS - started))
  echo
  echo "==================== test summary ===================="
  local line
  for line in "${results[@]}"; do
    echo "  $line"
  done
  printf 'tests finished in %dm %ds\n' $((elapsed / 60)) $((elapsed % 60))
}

cleanup() {
  local rc=$?
  stop_full_stack
  if [[ -n "$mariadb_dir" ]]; then
    scripts/mariadb.sh stop "$mariadb_dir" || echo "test.sh: stopping MariaDB failed" >&2
  fi
  rm -rf "$work"
  summary
  if ((rc == 0 && failed > 0)); then rc=1; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# step NAME CMD...: runs one step, records its result and time. A failed step fails the whole run but
# the later steps still run (so one broken suite does not hide the state of the others).
step() {
  local name=$1
  shift
  local t0=$SECONDS rc=0
  echo
  echo "==> $name"
  "$@" || rc=$?
  local took=$((SECONDS - t0))
  if ((rc == 0)); then
    results+=("ok      $name (${took}s)")
  else
    results+=("FAILED  $name (exit $rc, ${took}s)")
    failed=$((failed + 1))
  fi
  return 0
}

# need NAME CMD...: a step that later steps cannot do without; stop here when it fails.
need() {
  step "$@"
  if [[ "${results[-1]}" == FAILED* ]]; then
    echo "test.sh: '$1' failed; the remaining steps need it" >&2
    exit 1
  fi
}

pytest_functional() {
  .venv/bin/python -m pytest tests/functional -q -p no:cacheprovider "$@"
}

mysql_unit_tests() {
  if [[ -x build/unit_sql ]]; then
    CHIRP_TEST_MYSQL_URL="$mariadb_url" build/unit_sql
  else
    echo "no build/unit_sql (no SQL unit tests built); nothing to run"
  fi
}

start_mariadb() {
  mariadb_dir="$work/mariadb"
  mariadb_url=$(scripts/mariadb.sh start "$mariadb_dir") || return 1
  echo "MariaDB at $mariadb_url"
}

# The drill walks every switch itself; it runs where the wide-column store differs (RocksDB, HBase).
skip_drill=(-k "not test_migration_drill")

# Friendships and news feeds only in the wide-column store (RocksDB here), for the whole suite.
functional_sqlite_kv() {
  CHIRP_TEST_SWITCHES=friendship_kv_only=100,newsfeed_kv_only=100 pytest_functional "${skip_drill[@]}"
}

functional_mariadb() {
  CHIRP_TEST_DATABASE_URL="$mariadb_url" pytest_functional "${skip_drill[@]}"
}

# The full stack: private Redis, Memcached and RabbitMQ beside the MariaDB, and a database of its own.
start_full_stack() {
  local s
  for s in redis memcached rabbitmq hbase; do
    if [[ ! -x scripts/$s.sh ]]; then
      echo "test.sh: scripts/$s.sh is missing" >&2
      return 1
    fi
  done
  redis_dir="$work/redis"
  redis_url=$(scripts/redis.sh start "$redis_dir") || return 1
  echo "Redis at $redis_url"
  memcached_dir="$work/memcached"
  memcached_url=$(scripts/memcached.sh start "$memcached_dir") || return 1
  echo "Memcached at $memcached_url"
  rabbitmq_dir="$work/rabbitmq"
  amqp_url=$(scripts/rabbitmq.sh start "$rabbitmq_dir") || return 1
  echo "RabbitMQ at $amqp_url"
  hbase_dir="$work/hbase"
  hbase_url=$(scripts/hbase.sh start "$hbase_dir") || return 1
  echo "HBase (Thrift2 gateway) at $hbase_url"
  mariadb --no-defaults -S "$mariadb_dir/mysql.sock" -uroot \
    -e 'CREATE DATABASE IF NOT EXISTS chirp_full CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' || return 1
  full_database_url="${mariadb_url%/*}/chirp_full"
  echo "database $full_database_url"
}

stop_full_stack() {
  local s dir
  for s in hbase rabbitmq memcached redis; do
    dir="${s}_dir"
    if [[ -n "${!dir}" ]]; then
      scripts/$s.sh stop "${!dir}" || echo "test.sh: stopping $s failed" >&2
      printf -v "$dir" '%s' ""
    fi
  done
}

full_stack_env() {
  CHIRP_TEST_DATABASE_URL="$full_database_url" CHIRP_TEST_REDIS_URL="$redis_url" \
    CHIRP_TEST_MEMCACHED_URL="$memcached_url" CHIRP_TEST_AMQP_URL="$amqp_url" \
    CHIRP_TEST_KV_URL="$hbase_url" CHIRP_TEST_MARIADB_DIR="$mariadb_dir" CHIRP_TEST_REDIS_DIR="$redis_dir" \
    CHIRP_TEST_MEMCACHED_DIR="$memcached_dir" CHIRP_TEST_RABBITMQ_DIR="$rabbitmq_dir" "$@"
}

# The Redis, Memcached and RabbitMQ implementations' unit tests, against the private servers. The Redis
# survival tests start servers of their own under CHIRP_TEST_REDIS_DIR; the Memcached ones stop and
# restart the shared one (CHIRP_TEST_MEMCACHED_DIR); the RabbitMQ one runs CHIRP_TEST_AMQP_RESTART.
service_unit_tests() {
  local name=$1
  if [[ ! -x build/unit_$name ]]; then
    echo "no build/unit_$name; nothing to run"
    return 0
  fi
  case "$name" in
    redis)
      mkdir -p "$work/redis-unit"
      CHIRP_TEST_REDIS_URL="$redis_url" CHIRP_TEST_REDIS_DIR="$work/redis-unit" build/unit_redis ;;
    memcached)
      CHIRP_TEST_MEMCACHED_URL="$memcached_url" CHIRP_TEST_MEMCACHED_DIR="$memcached_dir" build/unit_memcached ;;
    rabbitmq)
      CHIRP_TEST_AMQP_URL="$amqp_url" CHIRP_TEST_AMQP_RESTART="$PWD/scripts/rabbitmq.sh restart $rabbitmq_dir" \
        build/unit_rabbitmq ;;
    hbase)
      CHIRP_TEST_HBASE_URL="$hbase_url" build/unit_hbase ;;
  esac
}

# Friendships and news feeds in HBase, mirrored into MariaDB (kv primary with dual writes), so both
# stores are written by every test; the drill walks the switches on a server of its own.
functional_full_stack() {
  CHIRP_TEST_SWITCHES=friendship_kv_only=100,newsfeed_kv_only=100,friendship_dual_write=100,newsfeed_dual_write=100 \
    full_stack_env pytest_functional
}

asan_env() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$@"
}

functional_smoke_asan() {
  asan_env env CHIRP_BIN=build-asan/chirp CHIRP_TEST_START_TIMEOUT=120 \
    .venv/bin/python -m pytest tests/functional -q -p no:cacheprovider -m smoke
}

need "install dependencies" scripts/install-deps.sh
need "build (release)" scripts/build.sh release
step "unit tests" ctest --test-dir build --output-on-failure
need "python environment" scripts/python-env.sh
step "functional tests (SQLite)" pytest_functional
step "web client end-to-end tests (headless Chromium)" scripts/e2e.sh build/chirp
step "functional tests (SQLite, friendships and feeds in RocksDB)" functional_sqlite_kv

need "start MariaDB" start_mariadb
step "SQL unit tests (MariaDB)" mysql_unit_tests
step "functional tests (MariaDB)" functional_mariadb

step "start Redis, Memcached, RabbitMQ, HBase" start_full_stack
if [[ "${results[-1]}" == ok* ]]; then
  step "Redis unit tests" service_unit_tests redis
  step "Memcached unit tests" service_unit_tests memcached
  step "RabbitMQ unit tests" service_unit_tests rabbitmq
  step "HBase unit tests" service_unit_tests hbase
  step "functional tests (full stack, with survival tests)" functional_full_stack
fi
stop_full_stack
scripts/mariadb.sh stop "$mariadb_dir"
mariadb_dir=""

if [[ "${CHIRP_TEST_SKIP_ASAN:-}" == 1 ]]; then
  results+=("skipped sanitizer pass (CHIRP_TEST_SKIP_ASAN=1)")
else
  need "build (asan)" scripts/build.sh asan
  step "unit tests (asan)" asan_env ctest --test-dir build-asan --output-on-failure
  step "functional smoke tests (asan)" functional_smoke_asan
fi
step "fuzz targets (libFuzzer + ASan/UBSan, 20 s each)" scripts/fuzz.sh 20

if ((failed > 0)); then
  exit 1
fi
