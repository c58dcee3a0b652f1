#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build with AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer) and run the ctest
# suite but the QGIS and Chromium checks and the thread-count comparisons; any sanitizer report
# fails its test. Build folder: build-asan (override: BUILD=...).
# Reference tests use ../shared when present (override with HOTMAP_SHARED_DIR=...).
# LeakSanitizer needs no suppressions: GDAL, PROJ and GEOS leave nothing unreachable at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
scripts/install-deps.sh
SHARED="${HOTMAP_SHARED_DIR:-$ROOT/../shared}"
BUILD="${BUILD:-$ROOT/build-asan}"

# A report aborts the process with exit code 99, which no test expects (hotmap exits 0, 1 or
# 2), so a report in a run that is meant to fail still fails the test; run_cli_test.cmake also
# fails any CLI test whose stderr holds a report. These are exported before the build too:
# gtest_discover_tests runs unit_tests at build time.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=99:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:print_summary=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=99:print_stacktrace=1:report_error_type=1"
# With glibc's AVX-512/EVEX string functions (memset, memcpy: the ASan runtime calls them), the
# SSE code of an ASan build runs about 8x slower on this machine's Xeon (measured: 358M calls
# of exp() in Kde.IdenticalForAnyThreadCount take 81 s instead of 10 s; the plain build is not
# affected). Selecting glibc's AVX2 variants avoids it; a no-op on CPUs without AVX-512.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW"

# -O1 -g0: a report's stack names the functions (from the symbol table); for file and line,
# rebuild with DEBUG_FLAGS=-g1 (a quarter more compile time, which CI does not spend). Asserts
# stay on (no NDEBUG).
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 ${DEBUG_FLAGS:--g0}" \
      -DHOTMAP_SANITIZE=address,undefined -DHOTMAP_WERROR=ON -DBUILD_TESTING=ON \
      -DHOTMAP_SHARED_DIR="$SHARED" > /dev/null
cmake --build "$BUILD" -j"$(nproc)"
# Left to the plain stage, to keep the suite's time down (ALL=1 runs them here too):
# - the QGIS and Chromium checks: they drive those programs (Python, a browser) over outputs the
#   CLI tests already make under the sanitizers;
# - the thread-count comparisons (cli.threads-*, the unit tests' ...ForAnyThreadCount and
#   SitingThreads.*): they run code the other tests already run under the sanitizers again on 2
#   and 7 threads, to compare the bytes, which the plain stage does.
# One test more than cores: the CLI tests wait on files and processes.
SKIP='^qgis\.|chromium|^cli\.threads-|ForAnyThreadCount|^SitingThreads\.'
if [ "${ALL:-0}" = 1 ]; then SKIP='^$'; fi
ctest --test-dir "$BUILD" -j"$(( $(nproc) + 1 ))" --output-on-failure -E "$SKIP${EXCLUDE:+|$EXCLUDE}"
