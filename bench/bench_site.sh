#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Siting benchmark (DESIGN.md §7): 100k demand points (synthetic kalemie incidents), about 20,000
# grid candidates (84 m spacing inside the 16 districts), k = 50 new 300 m posts given the city's
# stations, posts and lamps: the heuristic (target: under 10 s on 2 cores) and GLPK (--exact,
# EXACT_LIMIT seconds, default 600) with their bounds and gaps; then 1M incidents (demand merged
# to cells automatically), and --threads 1 against 2 (same bytes).
# Usage: bench/bench_site.sh [N_DEMAND] [N_BIG]   (default: 100000 1000000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || build_release   # SKIP_BUILD=1 BUILD=dir: use an existing Release build
machine
n=${1:-100000}
big=${2:-1000000}
limit=${EXACT_LIMIT:-600}
city=$(synth_full 50000)
inc=$(synth_incidents "$n")
inc_big=$(synth_incidents "$big")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the new posts reach 300 m (a type of their own: the existing posts keep 500 m)
args=(site -d "$city/districts.geojson" --facilities "$city/facilities.geojson" --facility-type type
      --radius station=800,post=500,lamp=40,newpost=300 --site-type newpost --overwrite)
run() { # run LABEL ARGS...: wall time, peak RSS and the summary line
  local label=$1; shift
  /usr/bin/time -o "$out/time.txt" -f "%e %M" "$HM" "${args[@]}" "$@" -v > "$out/stdout.txt" 2> "$out/stderr.txt" || {
    echo "$label: FAILED"; tail -3 "$out/stderr.txt"; return 1; }
  local t m
  read -r t m < <(tail -1 "$out/time.txt")
  printf '%-52s %8.2f s %7.0f MB\n' "$label" "$t" "$(awk "BEGIN{print $m/1024}")"
  grep -E "candidate grid|demand:|GLPK" "$out/stderr.txt" | sed 's/^hotmap site: /   /'
  tail -1 "$out/stdout.txt" | sed 's/^/   /'
}
echo "== $n incidents as demand, 84 m candidate grid, k = 50 new 300 m posts"
cat "$inc" > /dev/null
run "heuristic, k = 50 (--demand-cell 0: every place)" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50
run "heuristic, k = 50, --min-spacing 300, 5 per district" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50 \
    --min-spacing 300 --max-per-district 5
run "exact (GLPK, --time-limit $limit), k = 50" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50 --exact \
    --time-limit "$limit"
run "heuristic, k = 10" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 10
run "exact (GLPK, --time-limit $limit), k = 10" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 10 --exact \
    --time-limit "$limit"
run "lscp 60% (heuristic)" -i "$inc" --demand-cell 0 --candidate-spacing 84 --objective lscp --target-coverage 60
run "capacitated, k = 50, capacity 500" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50 --capacity 500
echo "== $big incidents (demand merged to cells automatically)"
cat "$inc_big" > /dev/null
run "heuristic, k = 50, 84 m grid" -i "$inc_big" --candidate-spacing 84 --add 50
run "heuristic, k = 50, every place (--demand-cell 0)" -i "$inc_big" --demand-cell 0 --candidate-spacing 84 --add 50
"$HM" "${args[@]}" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50 -q --threads 1 -o "$out/t1.csv" > /dev/null
"$HM" "${args[@]}" -i "$inc" --demand-cell 0 --candidate-spacing 84 --add 50 -q --threads 2 -o "$out/t2.csv" > /dev/null
if cmp -s "$out/t1.csv" "$out/t2.csv"; then echo "--threads 1 and 2: identical sites"; else echo "--threads 1 and 2: SITES DIFFER"; exit 1; fi
