#!/bin/sh
# SPDX-License-Identifier: MIT
# The layers of `hotmap run tests/data/run/squares.ini -o res` equal, attribute for attribute
# and geometry for geometry, what the commands write on their own (tests/cli/run.cmake).
# Usage: check_run_squares.sh HOTMAP DATA_DIR
set -eu
H=$1
D=$2
IN="-i $D/squares_points.csv --incidents-crs EPSG:32735 -d $D/two_squares.geojson"
FAC="--facilities $D/coverage_posts.geojson --facility-type type --radius post=500,lamp=40"
$H districts -q $IN --period month -o d.gpkg
$H coverage -q $IN $FAC -o c.gpkg --gaps g.gpkg
$H coverage -q $IN $FAC --from 2024-02-01 --to 2024-03-01 -o f.gpkg
$H density -q $IN --cell 100 --bandwidth 400 -o k.tif
for p in "d.gpkg districts" "c.gpkg coverage" "g.gpkg coverage_gaps" "f.gpkg coverage_february"; do
  set -- $p
  ogr2ogr -f CSV "a_$2.csv" "$1" "${1%.gpkg}" -lco GEOMETRY=AS_WKT
  ogr2ogr -f CSV "b_$2.csv" res/results.gpkg "$2" -lco GEOMETRY=AS_WKT
  cmp "a_$2.csv" "b_$2.csv"
  test "$(wc -l < "a_$2.csv")" -gt 1
done
gdal_translate -q -of AAIGrid k.tif a.asc
gdal_translate -q -of AAIGrid GPKG:res/results.gpkg:density b.asc
cmp a.asc b.asc
