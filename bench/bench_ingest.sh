#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ingest and districts benchmark (DESIGN.md §7): `hotmap info` vs `wc -l` on 1M and 10M
# synthetic incidents, and `hotmap districts` with 1,000 polygons (time beyond ingest).
# Usage: bench/bench_ingest.sh [N ...]   (default: 1000000 10000000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
build_release
machine
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
poly="$DATA/districts_1000.geojson"
[ -f "$poly" ] || python3 "$ROOT/bench/make_districts.py" 40 25 "$poly"
for n in "${sizes[@]}"; do
  f=$(synth_incidents "$n")
  echo "== $n incidents: $(du -h "$f" | cut -f1)"
  cat "$f" > /dev/null   # warm the page cache
  timeit "wc -l" wc -l "$f"
  timeit "hotmap info" "$HM" info -i "$f"
  timeit "hotmap info --threads 1" "$HM" info -i "$f" --threads 1
  timeit "hotmap districts (1,000 polygons)" "$HM" districts -i "$f" -d "$poly" -q
done
