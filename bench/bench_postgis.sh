#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PostGIS benchmark (README "Incidents in PostgreSQL/PostGIS"): `hotmap grid` on N synthetic
# Kalemie incidents from the CSV, from a PostGIS table read through GDAL (pushdown of the
# columns), and counted on the server (--aggregate-in-database); the same for `hotmap districts`
# by month. Needs the local server of
# scripts/start-test-postgres.sh (or BENCH_PG="PG:...").
# Usage: bench/bench_postgis.sh [N ...]   (default: 1000000)
source "$(dirname "$0")/common.sh"
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
PG="${BENCH_PG:-PG:host=127.0.0.1 port=5432 dbname=hotmap_test user=hotmap_test password=hotmap_test}"
ogrinfo -ro -q "$PG" > /dev/null || { echo "no PostgreSQL server at $PG (scripts/start-test-postgres.sh)"; exit 1; }
build_release
machine
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
out=$(mktemp -d)
for n in "${sizes[@]}"; do
  dir=$(synth_full "$n")
  f="$dir/incidents.csv"
  t="bench_incidents_$n"
  if ! ogrinfo -ro -q "$PG" "$t" > /dev/null 2>&1; then
    start=$(date +%s.%N)
    # as tests/cli/pg_check.sh loads the sample: text columns, then the points made by the server
    ogr2ogr -f PostgreSQL "$PG" "$f" -nln "$t" -overwrite -lco FID=fid --config PG_USE_COPY YES -gt 100000
    num="'^ *-?[0-9]+([.][0-9]+)? *\$'"
    for q in "ALTER TABLE $t ADD COLUMN geom geometry(Point, 4326)" \
             "UPDATE $t SET geom = ST_SetSRID(ST_MakePoint(lon::float8, lat::float8), 4326) WHERE lon ~ $num AND lat ~ $num" \
             "ALTER TABLE $t DROP COLUMN lon, DROP COLUMN lat" "VACUUM ANALYZE $t"; do
      ogrinfo -q "$PG" -sql "$q" > /dev/null
    done
    echo "loaded $n rows into $t in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}") s (ogr2ogr, COPY)"
  fi
  echo "== $n incidents: $(du -h "$f" | cut -f1) CSV"
  cat "$f" > /dev/null
  d="$dir/districts.geojson"
  timeit "grid 25 m from CSV" "$HM" grid -i "$f" -d "$d" --cell 25 -o "$out/a.csv" --overwrite -q
  timeit "grid 25 m from PostGIS (rows, pushdown)" "$HM" grid -i "$PG" --layer "$t" -d "$d" --cell 25 -o "$out/b.csv" --overwrite -q
  timeit "grid 25 m --aggregate-in-database" "$HM" grid -i "$PG" --layer "$t" -d "$d" --cell 25 --aggregate-in-database \
    -o "$out/c.csv" --overwrite -q
  cmp "$out/a.csv" "$out/b.csv" && cmp "$out/a.csv" "$out/c.csv" && echo "the three grids are identical ($(wc -l < "$out/a.csv") lines)"
  # districts: counted here from the CSV, from the rows read (with the districts' box: --crs fixes
  # the working CRS, so the box can be sent), on the server
  timeit "districts by month from CSV" "$HM" districts -i "$f" -d "$d" --period month --crs EPSG:32735 -o "$out/da.csv" --overwrite -q
  timeit "districts by month from PostGIS (rows, pushdown)" "$HM" districts -i "$PG" --layer "$t" -d "$d" --period month --crs EPSG:32735 \
    -o "$out/db.csv" --overwrite -q
  timeit "districts by month --aggregate-in-database" "$HM" districts -i "$PG" --layer "$t" -d "$d" --period month --crs EPSG:32735 \
    --aggregate-in-database -o "$out/dc.csv" --overwrite -q
  cmp "$out/da.csv" "$out/db.csv" && cmp "$out/da.csv" "$out/dc.csv" && echo "the three district tables are identical"
done
rm -rf "$out"
