#!/usr/bin/env bash
# Installs every Debian 12 package chirp needs to build, run and test. Idempotent: safe to re-run.
# Usage: scripts/install-deps.sh [--build-only]   (--build-only: skip the test services and tools)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config clang-format git curl ca-certificates
  libboost1.81-dev libsoci-dev libsqlite3-dev libmariadb-dev libsodium-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libhiredis-dev libmemcached-dev librabbitmq-dev libthrift-dev thrift-compiler librocksdb-dev
)
test_pkgs=(
  python3 python3-venv python3-pip
  mariadb-server mariadb-client redis-server memcached rabbitmq-server wrk
  openjdk-17-jdk-headless maven
  chromium fonts-noto-color-emoji nodejs  # scripts/e2e.sh: the web client's tests in headless Chromium
  clang-14 libclang-rt-14-dev llvm-14  # scripts/fuzz.sh: clang, libFuzzer, sanitizer runtimes, symbolizer
)
# e2e.sh installs playwright-core with npm: Debian's npm only when there is none (a nodejs from
# elsewhere, e.g. NodeSource, brings its own and conflicts with Debian's npm package).
if ! command -v npm >/dev/null; then
  test_pkgs+=(npm)
fi

pkgs=("${build_pkgs[@]}")
if [[ "${1:-}" != "--build-only" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
