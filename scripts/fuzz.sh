#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, AddressSanitizer + UndefinedBehaviorSanitizer;
# build dir build-fuzz) and runs each for SECONDS, seeded from tests/fuzz/corpus/<target>/. New
# corpus entries go to a temporary directory, never into the repo. Prints one summary line per
# target and exits 1 when any target found a crash, a sanitizer report, a leak, a timeout or a failed
# invariant; the input that did it is kept in build-fuzz/crashes/<target>/.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]   (default 20 s, every target)
#   e.g. scripts/fuzz.sh 300             a longer run, as docs/SECURITY.md reports
#        scripts/fuzz.sh 60 json_body    one target
# Reproduce a crash: build-fuzz/fuzz/fuzz_<target> build-fuzz/crashes/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: $0 [SECONDS_PER_TARGET [TARGET...]]" >&2
  exit 2
fi

# The longest input each target is given: about what the parser sees in practice, small enough to
# keep executions fast (the HTTP target needs room for a header plus a body).
declare -A max_len=(
  [http_request]=32768 [multipart_body]=16384 [json_body]=8192 [form_body]=4096 [query]=2048
  [router]=1024 [cursor]=64 [text]=1024 [image_type]=256 [kv_row]=512
)

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
for target in "${targets[@]}"; do
  if [[ ! -f tests/fuzz/$target.cpp ]]; then
    echo "fuzz.sh: no target '$target' (tests/fuzz/$target.cpp)" >&2
    exit 2
  fi
done

compiler=""
for candidate in clang++-14 clang++; do
  if command -v "$candidate" > /dev/null; then
    compiler=$(command -v "$candidate")
    break
  fi
done
if [[ -z "$compiler" ]]; then
  echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs clang-14)" >&2
  exit 1
fi
if [[ ! -f build-fuzz/build.ninja ]]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER="$compiler" -DCHIRP_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build-fuzz -j "$(($(nproc) < 2 ? $(nproc) : 2))" --target \
  "${targets[@]/#/fuzz_}"

work=$(mktemp -d "${TMPDIR:-/tmp}/chirp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer  # file:line in reports
fi

# "name: value" from libFuzzer's final stats.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

failed=()
summary=()
for target in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$target
  corpus=$work/corpus/$target
  artifacts=$work/artifacts/$target
  log=$work/$target.log
  mkdir -p "$corpus" "$artifacts" "$seeds"
  args=(-max_total_time="$seconds" -max_len="${max_len[$target]:-4096}" -timeout=10
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/")
  if [[ -f tests/fuzz/dict/$target.dict ]]; then args+=(-dict="tests/fuzz/dict/$target.dict"); fi
  echo "==> fuzz_$target for ${seconds}s"
  rc=0
  build-fuzz/fuzz/fuzz_"$target" "${args[@]}" "$corpus" "$seeds" > "$log" 2>&1 || rc=$?

  status_line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$status_line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<< "$status_line")
  corp=$(sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p' <<< "$status_line")
  crashes=$(find "$artifacts" -type f | wc -l)
  line=$(printf '%-22s execs=%s exec/s=%s cov=%s ft=%s corpus=%s new=%s crashes=%s' \
    "fuzz_$target" "$(final_stat number_of_executed_units "$log")" \
    "$(final_stat average_exec_per_sec "$log")" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
    "$(final_stat new_units_added "$log")" "$crashes")
  if ((rc != 0 || crashes > 0)); then
    keep=build-fuzz/crashes/$target
    mkdir -p "$keep"
    cp "$artifacts"/* "$keep"/ 2> /dev/null || true
    cp "$log" "$keep/last-run.log"
    grep -E 'ERROR|SUMMARY|invariant failed|runtime error|deadly signal|Test unit written' "$log" \
      | head -20 >&2 || true
    line+="  FAILED (exit $rc; inputs and log in $keep/)"
    failed+=("$target")
  fi
  summary+=("$line")
  echo "$line"
done

echo
echo "==================== fuzz summary (${seconds}s per target) ===================="
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: findings in ${failed[*]}" >&2
  exit 1
fi
