#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Coverage benchmark: 1M incidents against 10,000 facilities (9,700 lamps 40 m, 250 posts 500 m,
# 50 stations 800 m) plus 20 patrol routes (150 m) on the kalemie synthetic city's 16 districts.
# Reports ingest (hotmap info), the whole coverage run, its phases (-v timings) and checks that
# --threads 1 and 2 give the same bytes.
# Usage: bench/bench_coverage.sh [N_INCIDENTS] [N_FACILITIES]   (default: 1000000 10000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || build_release   # SKIP_BUILD=1 BUILD=dir: use an existing Release build
machine
n=${1:-1000000}
nf=${2:-10000}
inc=$(synth_incidents "$n")
city=$(synth_full 50000)
fac="$DATA/coverage_facilities_$nf.csv"
pat="$DATA/coverage_patrols.geojson"
[ -f "$fac" ] || python3 "$ROOT/bench/make_coverage_facilities.py" "$nf" "$fac" "$pat"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# tm LABEL CMD...: best of 3 wall-clock seconds and that run's peak RSS (time -o: the command's
# own stderr stays out of the measurement)
tm() {
  local label=$1; shift
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -o "$out/time.txt" -f "%e %M" "$@" > /dev/null 2> /dev/null
    local t m
    read -r t m < <(tail -1 "$out/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  printf '%-58s %8.2f s %9.0f MB\n' "$label" "$best" "$(awk "BEGIN{print $rss/1024}")"
}
args=(coverage -i "$inc" -d "$city/districts.geojson" --facilities "$fac" --facilities "$pat"
      --facility-type type --radius lamp=40,post=500,station=800,patrol=150 --overwrite)
echo "== $n incidents, $(tail -n +2 "$fac" | wc -l) facility points + 20 patrol routes, 16 districts"
cat "$inc" > /dev/null
tm "hotmap info (ingest only)" "$HM" info -i "$inc"
tm "coverage: district table (stdout)" "$HM" "${args[@]}"
tm "coverage: + --incident-output CSV (1 row per incident)" "$HM" "${args[@]}" --incident-output "$out/inc.csv"
tm "coverage: + --gaps --covered-area (GeoPackage)" "$HM" "${args[@]}" -o "$out/d.gpkg" --gaps "$out/g.gpkg" --covered-area "$out/c.gpkg"
tm "coverage: --threads 1, district table" "$HM" "${args[@]}" --threads 1
poly="$DATA/districts_1000.geojson"
[ -f "$poly" ] || python3 "$ROOT/bench/make_districts.py" 40 25 "$poly"
args1000=(coverage -i "$inc" -d "$poly" --facilities "$fac" --facilities "$pat" --facility-type type
          --radius lamp=40,post=500,station=800,patrol=150 --overwrite)
tm "coverage: 1,000 districts, table + --gaps" "$HM" "${args1000[@]}" --gaps "$out/g1000.gpkg"
echo "-- phases (-v, 2 threads):"
"$HM" "${args[@]}" -v 2>&1 >/dev/null | grep -E "incidents covered|study area" | sed 's/^hotmap coverage: /   /'
echo "-- phases (-v, 2 threads, 1,000 districts):"
"$HM" "${args1000[@]}" -v 2>&1 >/dev/null | grep -E "incidents covered|study area" | sed 's/^hotmap coverage: /   /'
echo "-- phases (-v, 1 thread):"
"$HM" "${args[@]}" -v --threads 1 2>&1 >/dev/null | grep -E "incidents covered|study area" | sed 's/^hotmap coverage: /   /'
"$HM" "${args[@]}" -q --threads 1 --incident-output "$out/t1.csv" --gaps "$out/t1.geojson" > "$out/t1.txt"
"$HM" "${args[@]}" -q --threads 2 --incident-output "$out/t2.csv" --gaps "$out/t2.geojson" > "$out/t2.txt"
if cmp -s "$out/t1.csv" "$out/t2.csv" && cmp -s "$out/t1.geojson" "$out/t2.geojson" && cmp -s "$out/t1.txt" "$out/t2.txt"; then
  echo "--threads 1 and 2: identical outputs"
else
  echo "--threads 1 and 2: OUTPUTS DIFFER"; exit 1
fi
