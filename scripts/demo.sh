#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: install what is missing, build, and run the main job on the
# bundled sample data (data-samples/kalemie, synthetic), writing maps and reports into out/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
cmake --build build -j"$(nproc)"
HM=${HM:-build/cli/hotmap}
S=data-samples/kalemie
OUT=out/demo
mkdir -p "$OUT"
FAC="--facilities $S/facilities.geojson --facilities $S/patrols.geojson --facility-type type --radius station=800,post=500,lamp=40,patrol=150"
set -x
$HM info -i $S/incidents.csv --rejects $OUT/rejects.csv --overwrite -q | tee $OUT/info.txt
$HM districts -i $S/incidents.csv -d $S/districts.geojson --population population --period month -q \
    -o $OUT/districts.gpkg --overwrite
$HM districts -i $S/incidents.csv -d $S/districts.geojson --population population --period quarter -q | tee $OUT/districts.txt
$HM grid -i $S/incidents.csv -d $S/districts.geojson --cell 250 --shape hex -q -o $OUT/hex250.gpkg --overwrite
$HM density -i $S/incidents.csv -d $S/districts.geojson --cell 25 --bandwidth 400 --edge-correct -q \
    --isobands $OUT/density_bands.geojson -o $OUT/density.tif --overwrite
$HM density -i $S/incidents.csv -d $S/districts.geojson --cell 25 --bandwidth 400 --hours 18-6 -q \
    -o $OUT/density_night.tif --overwrite
$HM hotspots -i $S/incidents.csv -d $S/districts.geojson --cell 250 --distance 750 -q -o $OUT/gistar.gpkg --overwrite
$HM hotspots -i $S/incidents.csv -d $S/districts.geojson --on districts --method lisa --rate population -q \
    -o $OUT/lisa_districts.geojson --overwrite
$HM emerging -i $S/incidents.csv -d $S/districts.geojson --cell 250 --distance 750 -q -o $OUT/emerging.gpkg \
    --cube $OUT/emerging_cube.gpkg --overwrite
$HM change -i $S/incidents.csv -d $S/districts.geojson --before 2024-07-01,2025-01-01 --after 2025-07-01,2026-01-01 \
    --cell 250 -q -o $OUT/change.gpkg --overwrite
$HM evaluate -i $S/incidents.csv -d $S/districts.geojson --train 2024-01-01,2025-01-01 --test 2025-01-01,2026-01-01 \
    --by density,gistar -q -o $OUT/evaluate.csv --overwrite
$HM districts -i $S/incidents.csv -d $S/districts.geojson --by hour-of-week,month -q | tee $OUT/when.txt
$HM coverage -i $S/incidents.csv -d $S/districts.geojson $FAC -q -o $OUT/coverage.gpkg --overwrite
$HM coverage -i $S/incidents.csv -d $S/districts.geojson $FAC --hours 18-6 -q -o $OUT/coverage_night.gpkg \
    --gaps $OUT/night_gaps.gpkg --min-gap-area 10000 --distance-raster $OUT/distance.tif --cell 25 --overwrite
$HM site -i $S/incidents.csv -d $S/districts.geojson $FAC --site-type lamp --hours 18-6 --add 10 \
    --candidate-spacing 25 --min-spacing 30 -q -o $OUT/new_lamps.gpkg --curve $OUT/new_lamps_curve.csv \
    --district-output $OUT/new_lamps_districts.gpkg --overwrite
$HM site -i $S/incidents.csv -d $S/districts.geojson $FAC --site-type lamp --hours 18-6 --add 10 \
    --candidate-spacing 25 --min-spacing 30 -q | tee $OUT/new_lamps.txt
set +x
echo "Done: open the files in $OUT/ in QGIS (styles included); tables: $OUT/info.txt, $OUT/districts.txt, $OUT/new_lamps.txt"
