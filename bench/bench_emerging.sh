#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Emerging hot spots benchmark (DESIGN.md §7): 1M synthetic kalemie incidents, 250 m cells
# inside the 16 districts, 24 monthly steps (target: under 3 s on 2 cores); the same with the
# cube written, with --distance auto, and --threads 1 against 2 (same bytes).
# Usage: bench/bench_emerging.sh [N_INCIDENTS]   (default 1000000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || build_release   # SKIP_BUILD=1 BUILD=dir: use an existing Release build
machine
n=${1:-1000000}
inc=$(synth_incidents "$n")
city=$(synth_full 50000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=(emerging -i "$inc" -d "$city/districts.geojson" --cell 250 --overwrite)
cat "$inc" > /dev/null
echo "== $n incidents, 250 m cells, monthly steps"
timeit "hotmap info (ingest only)" "$HM" info -i "$inc"
timeit "emerging --distance 375, GeoPackage" "$HM" "${args[@]}" --distance 375 -o "$out/e.gpkg"
timeit "emerging --distance 375 + --cube (53,832 features)" "$HM" "${args[@]}" --distance 375 -o "$out/e.gpkg" --cube "$out/c.gpkg"
timeit "emerging --distance auto" "$HM" "${args[@]}" -o "$out/e.gpkg"
timeit "emerging --distance 375, --threads 1" "$HM" "${args[@]}" --distance 375 -o "$out/e.gpkg" --threads 1
"$HM" "${args[@]}" --distance 375 -q --threads 1 -o "$out/t1.csv"
"$HM" "${args[@]}" --distance 375 -q --threads 2 -o "$out/t2.csv"
if cmp -s "$out/t1.csv" "$out/t2.csv"; then echo "--threads 1 and 2: identical"; else echo "--threads 1 and 2: OUTPUTS DIFFER"; exit 1; fi
"$HM" "${args[@]}" --distance 375 -v -o "$out/e.gpkg" 2>&1 | grep -E "cube:|patterns" | sed 's/^hotmap emerging: /   /'
