#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Density benchmark (DESIGN.md §7): exact quartic KDE, r = 500 m, 25 m cells (600 x ~400 raster
# over the 15 x 10 km synthetic city) on 1M and 10M incidents, total run time vs `hotmap info`
# on the same file (target: within 1.5x), and peak memory (/usr/bin/time -v maximum RSS); the
# exact gaussian with sigma = 204 m (the spread of the 500 m quartic; target: as fast as it).
# Usage: bench/bench_density.sh [N ...]   (default: 1000000 10000000)
#        BUILD=/path/to/release-build bench/bench_density.sh   (skip the release build)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -x "$HM" ] && [ -n "${NO_BUILD:-}" ] || build_release
machine
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# run LABEL CMD...: best wall-clock of 3 runs and the peak RSS of that run (/usr/bin/time -o)
run() {
  local label=$1; shift
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null 2> "$out/stderr.txt" || { cat "$out/stderr.txt"; return 1; }
    read -r t m < "$out/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  printf '%-52s %8.2f s %8.0f MB\n' "$label" "$best" "$(awk "BEGIN{print $rss/1024}")"
}
for n in "${sizes[@]}"; do
  f=$(synth_incidents "$n")
  echo "== $n incidents: $(du -h "$f" | cut -f1)"
  cat "$f" > /dev/null   # warm the page cache
  run "hotmap info" "$HM" info -i "$f"
  run "hotmap density quartic r=500 cell=25 (exact)" "$HM" density -i "$f" --cell 25 --bandwidth 500 -o "$out/d.tif" --overwrite -q
  run "hotmap density ... --threads 1" "$HM" density -i "$f" --cell 25 --bandwidth 500 -o "$out/d.tif" --overwrite -q --threads 1
  run "hotmap density triweight r=500 cell=25" "$HM" density -i "$f" --cell 25 --bandwidth 500 --kernel triweight -o "$out/d.tif" --overwrite -q
  run "hotmap density gaussian sigma=204 cell=25 (exact)" "$HM" density -i "$f" --cell 25 --bandwidth 204 --kernel gaussian -o "$out/d.tif" --overwrite -q
  run "hotmap grid hex 100 m" "$HM" grid -i "$f" --cell 100 --shape hex -o "$out/g.fgb" --overwrite -q
done
