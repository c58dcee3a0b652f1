#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer harnesses (clang, ASan + UBSan) in build-fuzz and run each for
# SECONDS_PER_HARNESS (default 60) on a scratch copy of its seed corpus (fuzz/corpus/<name>/ is
# never written to). Prints per harness the executions, the corpus size and whether it found a
# crash (with the file that reproduces it); exits 1 when any harness crashed.
# Usage: bench/fuzz.sh [SECONDS_PER_HARNESS]
#   BUILD=...   build folder (default build-fuzz)
#   OUT=...     where corpora, logs and crash files go (default $BUILD/fuzz-out/<date-time>)
# Reproduce a crash: $BUILD/fuzz/<harness> <crash-file>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_HARNESS="${1:-60}"
BUILD="${BUILD:-$ROOT/build-fuzz}"
OUT="${OUT:-$BUILD/fuzz-out/$(date +%Y%m%d-%H%M%S)}"
HARNESSES=(fuzz_csv_reader fuzz_time_parser fuzz_wkt_column)
command -v clang++ > /dev/null || { echo "fuzz.sh: needs clang++ with libFuzzer (apt-get install clang libclang-rt-dev)"; exit 2; }

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DHOTMAP_FUZZ=ON -DHOTMAP_SANITIZE=address,undefined \
      -DBUILD_TESTING=OFF > /dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${HARNESSES[@]}" > /dev/null

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:report_error_type=1}"
status=0
summary=()
for h in "${HARNESSES[@]}"; do
  name=${h#fuzz_}
  dir="$OUT/$name"
  mkdir -p "$dir/corpus" "$dir/tmp" # tmp: the harness's scratch CSV (left there if it crashes)
  cp "$ROOT/fuzz/corpus/$name/"* "$dir/corpus/"
  echo "fuzz.sh: $h for ${SECONDS_PER_HARNESS}s (log: $dir/log.txt)"
  rc=0
  ( cd "$dir" && TMPDIR="$dir/tmp" "$BUILD/fuzz/$h" -max_total_time="$SECONDS_PER_HARNESS" -max_len=4096 -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$dir/" corpus ) > "$dir/log.txt" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log.txt" | tail -1)
  files=$(find "$dir/corpus" -type f | wc -l)
  bytes=$(find "$dir/corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  crash=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
          head -1)
  if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
    status=1
    found="CRASH (exit $rc): ${crash:-see $dir/log.txt}"
    grep -m1 -E 'hotmap fuzz finding|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$dir/log.txt" | sed 's/^/    /' || true
  else
    found="no crash"
  fi
  summary+=("$(printf '%-18s %10s execs  corpus %4d files %8d bytes  %s' "$h" "${execs:-?}" "$files" "$bytes" "$found")")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
