#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Along the streets: 1M incidents on a 50k-segment synthetic street network
# (bench/make_street_network.py) with the facility points of bench_coverage.sh that lie on the network's box (about 5,500 of the 10,000:
# lamps 40 m, posts 500 m, stations 800 m). Reports ingest (hotmap info), coverage --streets
# (and its phases from -v), network density (10 m lixels, 300 m quartic, discontinuous and
# continuous), and checks that --threads 1 and 2 give the same bytes.
# Usage: bench/bench_streets.sh [N_INCIDENTS] [N_FACILITIES]   (default: 1000000 10000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || build_release
machine
n=${1:-1000000}
nf=${2:-10000}
inc=$(synth_incidents "$n")
streets="$DATA/streets_75m.geojson"
[ -f "$streets" ] || python3 "$ROOT/bench/make_street_network.py" "$streets"
all="$DATA/coverage_facilities_$nf.csv"
[ -f "$all" ] || python3 "$ROOT/bench/make_coverage_facilities.py" "$nf" "$all" "$DATA/coverage_patrols.geojson"
# the facilities inside the streets' box (the facility box is larger than the incidents' city)
fac="$DATA/street_facilities_$nf.csv"
awk -F, 'NR == 1 || ($3 > 29.125 && $3 < 29.245 && $4 > -5.97 && $4 < -5.892)' "$all" > "$fac"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cov=(coverage -i "$inc" --facilities "$fac" --facility-type type --radius lamp=40,post=500,station=800
     --streets "$streets" --max-snap 100 --overwrite -q)
echo "== $n incidents, $(tail -n +2 "$fac" | wc -l) facilities, $(grep -o '"LineString"' "$streets" | wc -l) street lines"
cat "$inc" > /dev/null
timeit "hotmap info (ingest only)" "$HM" info -i "$inc"
timeit "coverage --streets (table)" "$HM" "${cov[@]}"
timeit "coverage --streets + --incident-output CSV" "$HM" "${cov[@]}" --incident-output "$out/inc.csv"
"$HM" "${cov[@]/-q/-v}" 2>&1 >/dev/null | grep -E "streets |on the streets|covered along" | sed 's/^/  /'
for split in discontinuous continuous; do
  timeit "density --streets, 10 m lixels, 300 m quartic, $split" "$HM" density -i "$inc" --streets "$streets" --max-snap 100 \
    --bandwidth 300 --lixel 10 --split "$split" -o "$out/lix.gpkg" --overwrite -q
done
"$HM" "${cov[@]}" --incident-output "$out/t1.csv" --threads 1
"$HM" "${cov[@]}" --incident-output "$out/t2.csv" --threads 2
cmp -s "$out/t1.csv" "$out/t2.csv" && echo "coverage --streets: --threads 1 and 2 give the same bytes" || echo "coverage --streets: THREAD RESULTS DIFFER"
