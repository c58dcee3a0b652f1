#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hotspot benchmarks: the kernel timings (bench_hotspots) and end-to-end `hotmap hotspots` runs.
# Usage: BUILD=/path/to/build NO_BUILD=1 bench/bench_hotspots.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ -z "${NO_BUILD:-}" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DHOTMAP_BUILD_BENCH=ON > /dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target hotmap bench_hotspots > /dev/null
fi
echo "machine: nproc=$(nproc) $(lscpu | grep 'Model name' | sed 's/  */ /g')"
for t in 1 2; do
  echo "== kernels, --threads $t"
  "$BUILD/bench/bench_hotspots" "$t"
done
F=$(synth_incidents 1000000)
OUT=$(mktemp -d)
for cmd in "--cell 25 --distance 250" "--cell 50 --distance auto" "--cell 100 --method lisa --distance 150"; do
  echo "== hotmap hotspots -i 1M $cmd"
  /usr/bin/time -f "%e s, %M KB" "$HM" hotspots -i "$F" $cmd -o "$OUT/h.fgb" --overwrite -q
done
rm -rf "$OUT"
