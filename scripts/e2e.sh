#!/usr/bin/env bash
# End-to-end tests of the web client (tests/e2e) in headless Chromium: installs the pinned npm
# dependencies (playwright-core only; no browser download: Debian's chromium is used), starts a private
# chirp (free port, temporary data directory, embedded stack, rate limits off, cheapest password
# hashing), runs every tests/e2e/*.test.mjs file and stops the server on exit, also on failure.
# Usage: scripts/e2e.sh [CHIRP_BIN]          (default build/chirp)
# Environment: CHIRP_E2E_OUT=DIR  where screenshots go (default tests/e2e/out, git-ignored)
#              CHROMIUM=PATH      the browser (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-build/chirp}
chromium=${CHROMIUM:-/usr/bin/chromium}
out=${CHIRP_E2E_OUT:-$PWD/tests/e2e/out}
for tool in node npm curl; do
  command -v "$tool" >/dev/null || { echo "e2e.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
[[ -x "$bin" ]] || { echo "e2e.sh: no chirp binary at $bin (build it first: scripts/build.sh)" >&2; exit 1; }
[[ -x "$chromium" ]] || { echo "e2e.sh: no browser at $chromium (apt-get install chromium)" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/chirp-e2e.XXXXXX")
pid=""
cleanup() {
  local rc=$?
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if ((rc != 0)) && [[ -f "$work/chirp.log" ]]; then
    echo "e2e.sh: failed; the server log's tail:" >&2
    tail -n 40 "$work/chirp.log" >&2
  fi
  rm -rf "$work"
  echo "e2e.sh: finished in $((SECONDS - started))s (exit $rc); screenshots in $out"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "e2e.sh: npm ci (tests/e2e)"
(cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
"$bin" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --rate-limits off --password-cost min \
  >"$work/chirp.log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 600); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "e2e.sh: chirp serve exited during start" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || { echo "e2e.sh: chirp did not answer at $url within 60 s" >&2; exit 1; }
echo "e2e.sh: chirp at $url"

mkdir -p "$out"
rc=0
for file in tests/e2e/*.test.mjs; do
  CHIRP_URL="$url" CHIRP_E2E_OUT="$out" CHROMIUM="$chromium" \
    node --test --test-reporter=spec "$file" || rc=1
done
exit "$rc"
