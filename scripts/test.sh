#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's second command: build everything (warnings as errors) and run every test, then
# the same suite (but the QGIS and Chromium checks and the thread-count comparisons) built with
# AddressSanitizer + UndefinedBehaviorSanitizer (scripts/test-sanitized.sh;
# SANITIZE=0 skips that stage). Reference tests use ../shared when present (HOTMAP_SHARED_DIR=...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
SHARED="${HOTMAP_SHARED_DIR:-$(pwd)/../shared}"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DHOTMAP_WERROR=ON -DBUILD_TESTING=ON \
      -DHOTMAP_SHARED_DIR="$SHARED" > /dev/null
cmake --build build-test -j"$(nproc)"
# the local PostgreSQL/PostGIS server of the pg.* tests (they are skipped when it does not start)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO scripts/start-test-postgres.sh > /dev/null || echo "test.sh: no PostgreSQL server: the pg.* tests will be skipped"
ctest --test-dir build-test -j"$(( $(nproc) + 1 ))" --output-on-failure
if [ "${SANITIZE:-1}" != 0 ]; then
  echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer (SANITIZE=0 skips this stage)"
  scripts/test-sanitized.sh
fi
