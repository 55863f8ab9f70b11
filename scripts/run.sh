#!/usr/bin/env bash
# The README's "run" command: installs build dependencies, builds, and starts chirp on the embedded
# defaults (http://127.0.0.1:8000, data in ./data). Extra arguments go to `chirp serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build-only
scripts/build.sh release
exec build/chirp serve "$@"
