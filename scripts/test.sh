#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's second command: build everything (warnings as errors) and run every test.
# Reference tests use ../shared when present (override with HOTMAP_SHARED_DIR=...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
SHARED="${HOTMAP_SHARED_DIR:-$(pwd)/../shared}"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DHOTMAP_WERROR=ON -DBUILD_TESTING=ON \
      -DHOTMAP_SHARED_DIR="$SHARED" > /dev/null
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test -j"$(nproc)" --output-on-failure
