#!/usr/bin/env bash
# Configures and builds chirp with CMake + Ninja (ccache when present).
# Usage: scripts/build.sh [release|asan]   (default release; the binary lands at build/chirp,
#        the sanitizer build at build-asan/chirp)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) dir=build; extra=() ;;
  asan) dir=build-asan; extra=(-DCHIRP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 2 ;;
esac
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S . -B "$dir" -G Ninja "${extra[@]}"
fi
cmake --build "$dir" -j "$(nproc)"
