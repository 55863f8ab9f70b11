#!/usr/bin/env bash
# The project's test command (README; .ci/run calls exactly this). On a fresh Debian 12 machine, as root:
# installs packages, builds, runs the unit tests, the functional suite on SQLite and on a private MariaDB,
# then a sanitizer build with its unit tests and a functional smoke pass. Every service it starts is
# private (free ports, a temporary directory) and stopped on exit, also on failure.
# Usage: scripts/test.sh
# Environment: CHIRP_TEST_SKIP_ASAN=1 skips the sanitizer pass (for quick local runs only).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/chirp-test.XXXXXX")
mariadb_dir=""
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

functional_mariadb() {
  CHIRP_TEST_DATABASE_URL="$mariadb_url" pytest_functional
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

need "start MariaDB" start_mariadb
step "SQL unit tests (MariaDB)" mysql_unit_tests
step "functional tests (MariaDB)" functional_mariadb
scripts/mariadb.sh stop "$mariadb_dir"
mariadb_dir=""

if [[ "${CHIRP_TEST_SKIP_ASAN:-}" == 1 ]]; then
  results+=("skipped sanitizer pass (CHIRP_TEST_SKIP_ASAN=1)")
else
  need "build (asan)" scripts/build.sh asan
  step "unit tests (asan)" asan_env ctest --test-dir build-asan --output-on-failure
  step "functional smoke tests (asan)" functional_smoke_asan
fi

if ((failed > 0)); then
  exit 1
fi
