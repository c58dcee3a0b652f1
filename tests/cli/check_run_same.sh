#!/bin/sh
# SPDX-License-Identifier: MIT
# Two runs of the same config (1 and 2 threads) give the same files: project.qgs and
# report.html byte for byte, run.json apart from its start time, every layer of results.gpkg
# attribute for attribute and geometry for geometry (tests/cli/run.cmake).
# Usage: check_run_same.sh DIR_A DIR_B
set -eu
cmp "$1/project.qgs" "$2/project.qgs"
cmp "$1/report.html" "$2/report.html"
grep -v '"started_utc"' "$1/run.json" > a.json
grep -v '"started_utc"' "$2/run.json" > b.json
cmp a.json b.json
for l in $(ogrinfo -ro -q "$1/results.gpkg" | sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p'); do
  [ "$l" = layer_styles ] && continue # its update_time is a recorded timestamp
  ogr2ogr -f CSV "a_$l.csv" "$1/results.gpkg" "$l" -lco GEOMETRY=AS_WKT
  ogr2ogr -f CSV "b_$l.csv" "$2/results.gpkg" "$l" -lco GEOMETRY=AS_WKT
  cmp "a_$l.csv" "b_$l.csv"
done
ogr2ogr -f CSV a_styles.csv "$1/results.gpkg" -sql "SELECT f_table_name, styleQML FROM layer_styles ORDER BY f_table_name"
ogr2ogr -f CSV b_styles.csv "$2/results.gpkg" -sql "SELECT f_table_name, styleQML FROM layer_styles ORDER BY f_table_name"
cmp a_styles.csv b_styles.csv
gdal_translate -q -of AAIGrid "GPKG:$1/results.gpkg:density" a.asc
gdal_translate -q -of AAIGrid "GPKG:$2/results.gpkg:density" b.asc
cmp a.asc b.asc
