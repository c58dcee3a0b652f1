#!/bin/sh
# SPDX-License-Identifier: MIT
# PostGIS tests (tests/cli/postgis.cmake) against a real server: HOTMAP_TEST_PG, default the
# database scripts/start-test-postgres.sh makes. Exit 77 (skipped) when no server answers.
#   pg_check.sh HOTMAP SAMPLES load            load the Kalemie sample into hm_* tables (fixture)
#   pg_check.sh HOTMAP SAMPLES same CMD ARGS   run CMD on the sample files and on the tables
#                                              (@I@/@D@ = incidents/districts arguments), same CSV
#   pg_check.sh HOTMAP SAMPLES fails RE CMD ARGS   the run on the tables exits non-zero with one
#                                              line on stderr matching RE and writes no output
#   pg_check.sh HOTMAP SAMPLES refused RE CMD ARGS the same with exit 2 (a usage error)
#   pg_check.sh HOTMAP SAMPLES far             3 rows far from the districts: the server leaves
#                                              them out (filtered), same table as the files
#   pg_check.sh HOTMAP SAMPLES boundary        points on shared district boundaries, counted
#                                              on the server as hotmap counts them (hand-checked)
set -eu
HOTMAP=$1 SAMPLES=$2 MODE=$3
shift 3
PG=${HOTMAP_TEST_PG:-PG:host=127.0.0.1 port=5432 dbname=hotmap_test user=hotmap_test password=hotmap_test}
if ! ogrinfo -ro -q "$PG" > /dev/null 2>&1; then
  echo "SKIPPED: no PostgreSQL/PostGIS server at HOTMAP_TEST_PG (run scripts/start-test-postgres.sh)"
  exit 77
fi
K=$SAMPLES/kalemie
q() { ogrinfo -q "$PG" -sql "$1" > /dev/null; }
# far_table TABLE [ROWS]: the sample plus 3 rows ~400 km away (inside the working CRS's area,
# outside every district) and the SQL VALUES ROWS, as TABLE and as far.csv
far_table() {
  q "DROP TABLE IF EXISTS $1"
  q "CREATE TABLE $1 AS SELECT * FROM hm_incidents"
  q "INSERT INTO $1 (fid, id, datetime, category, weight, geom) VALUES (100001, '100001', '2024-05-01 10:00:00', 'theft', 1, ST_SetSRID(ST_MakePoint(27.5, -9.0), 4326)), (100002, '100002', '2024-05-02 10:00:00', 'theft', 2, ST_SetSRID(ST_MakePoint(28.0, -9.5), 4326)), (100003, '100003', '2024-05-03 10:00:00', 'fraud', 1, ST_SetSRID(ST_MakePoint(25.0, -2.0), 4326))${2:+, $2}"
  rm -f far.csv
  ogr2ogr -f CSV far.csv "$PG" -sql "SELECT id, datetime, category, weight, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM $1 WHERE geom IS NOT NULL ORDER BY fid"
}
case $MODE in
load)
  # the CSV as text columns, then the points made by the server from the numbers (float8 input
  # rounds as the CSV reader does; text that is no number gives no point: a null geometry), the
  # same with a timestamp column (unparseable times as NULL), and the districts
  ogr2ogr -f PostgreSQL "$PG" "$K/incidents.csv" -nln hm_incidents -overwrite -lco FID=fid
  num="'^ *-?[0-9]+([.][0-9]+)? *\$'"
  q "ALTER TABLE hm_incidents ADD COLUMN geom geometry(Point, 4326)"
  q "UPDATE hm_incidents SET geom = ST_SetSRID(ST_MakePoint(lon::float8, lat::float8), 4326) WHERE lon ~ $num AND lat ~ $num"
  q "ALTER TABLE hm_incidents DROP COLUMN lon, DROP COLUMN lat, ALTER COLUMN weight TYPE integer USING NULLIF(weight, '')::integer"
  q "DROP TABLE IF EXISTS hm_incidents_ts"
  q "CREATE TABLE hm_incidents_ts AS SELECT fid, id, CASE WHEN datetime ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ' THEN CASE WHEN substr(datetime, 9, 2)::int <= extract(day from make_date(substr(datetime, 1, 4)::int, substr(datetime, 6, 2)::int, 1) + interval '1 month' - interval '1 day') THEN datetime::timestamp END END AS occurred, category, weight, geom FROM hm_incidents"
  q "ALTER TABLE hm_incidents_ts ADD PRIMARY KEY (fid)"
  ogr2ogr -f PostgreSQL "$PG" "$K/districts.geojson" -nln hm_districts -overwrite -lco GEOMETRY_NAME=geom
  # the timestamp table as a CSV, for the file side of its tests
  mkdir -p ../pg-data
  rm -f ../pg-data/hm_incidents_ts.csv
  ogr2ogr -f CSV ../pg-data/hm_incidents_ts.csv "$PG" \
    -sql "SELECT id, to_char(occurred, 'YYYY-MM-DD HH24:MI:SS') AS occurred, category, weight, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM hm_incidents_ts ORDER BY fid"
  echo "loaded: $(ogrinfo -ro -q "$PG" -sql "SELECT count(*) AS n FROM hm_incidents" | sed -n 's/.*n (Integer[0-9]*) = //p') incidents"
  ;;
same)
  CMD=$1
  shift
  # the arguments of one side (files or tables), as positional parameters of a function
  run_side() {
    side=$1 out=$2
    shift 2
    n=$#
    for a in "$@"; do
      case $side:$a in
      files:@I@) set -- "$@" -i "$K/incidents.csv" ;;
      files:@ITS@) set -- "$@" -i ../pg-data/hm_incidents_ts.csv --time occurred ;;
      files:@D@|*:@DF@) set -- "$@" -d "$K/districts.geojson" ;;
      files:@AGG@) ;;
      pg:@I@) set -- "$@" -i "$PG" --layer hm_incidents ;;
      pg:@ITS@) set -- "$@" -i "$PG" --layer hm_incidents_ts ;;
      pg:@D@) set -- "$@" -d "$PG" --district-layer hm_districts ;;
      pg:@AGG@) set -- "$@" --aggregate-in-database ;;
      *) set -- "$@" "$a" ;;
      esac
    done
    shift "$n"
    "$HOTMAP" "$CMD" "$@" -o "$out.csv" --overwrite -v 2> "$out.log" || { cat "$out.log"; exit 1; }
  }
  run_side files files "$@"
  run_side pg pg "$@"
  if ! cmp files.csv pg.csv; then
    diff files.csv pg.csv | head -20
    exit 1
  fi
  # the same rows accepted (the reasons of the rest may differ: ogr2ogr made null geometries of
  # unparseable coordinates), and the counts of kept cells/districts
  a=$(sed -n 's/.*= accepted \([0-9]*\) .*/\1/p' files.log)
  b=$(sed -n 's/.*= accepted \([0-9]*\) .*/\1/p' pg.log)
  [ -n "$a" ] && [ "$a" = "$b" ] || { echo "accepted: files $a, PostGIS $b"; exit 1; }
  echo "same: $(wc -l < pg.csv) lines, $a incidents accepted"
  grep -h "server\|columns read" pg.log || true
  ;;
far)
  # the sample plus 3 rows ~400 km away (inside the working CRS's area, outside every district)
  far_table hm_incidents_far
  # --crs: the box is sent only when the working CRS does not come from the incidents' median
  run() { "$HOTMAP" districts "$@" --population population --period month --crs EPSG:32735 -o "$out" --overwrite -v 2> "$log" || { cat "$log"; exit 1; }; }
  out=files.csv log=files.log run -i far.csv -d "$K/districts.geojson"
  out=pg.csv log=pg.log run -i "$PG" --layer hm_incidents_far -d "$K/districts.geojson"
  out=agg.csv log=agg.log run -i "$PG" --layer hm_incidents_far -d "$K/districts.geojson" --aggregate-in-database
  cmp files.csv pg.csv || { diff files.csv pg.csv | head; exit 1; }
  cmp files.csv agg.csv || { diff files.csv agg.csv | head; exit 1; }
  grep -q "filtered: outside_study_area 3\(;\|$\)" pg.log || { echo "the server did not leave out the 3 far rows:"; cat pg.log; exit 1; }
  grep -h "outside the districts' bounding box" pg.log
  # the 3 rows are outside every district in the file run and the aggregate; the rows read left
  # them on the server (filtered, outside_study_area) and names them apart
  fo=$(sed -n 's/.*incidents in no district: \([0-9]*\).*/\1/p' files.log)
  po=$(sed -n 's/.*incidents in no district: \([0-9]*\).*/\1/p' pg.log)
  ao=$(sed -n 's/.*incidents in no district: \([0-9]*\).*/\1/p' agg.log)
  [ -n "$fo" ] && [ "$fo" = "$ao" ] && [ "$po" = "$((fo - 3))" ] || { echo "outside: files $fo, rows $po, aggregate $ao"; exit 1; }
  grep -q "incidents in no district: $po (and 3 rows left out by the server" pg.log || { cat pg.log; exit 1; }
  # the rejected rows are the same (the far-away box keeps rows rejected for their coordinates)
  fr=$(sed -n 's/.*= accepted [0-9]* + filtered [0-9]* + rejected \([0-9]*\).*/\1/p' agg.log)
  pr=$(sed -n 's/.*= accepted [0-9]* + filtered [0-9]* + rejected \([0-9]*\).*/\1/p' pg.log)
  [ "$fr" = "$pr" ] || { echo "rejected: aggregate $fr, rows $pr"; exit 1; }
  echo "same table; outside every district: $fo (files, aggregate) = $po + 3 left out by the server (rows read); rejected $pr in both"
  ;;
far-grid)
  # grid and hotspots over the districts read the rows inside the districts' box widened by a
  # cell: the 3 far rows stay on the server, and every cell's count is as from the file
  far_table hm_incidents_far_grid
  for cmd in "grid --cell 500" "hotspots --cell 500 --distance 1500" "hotspots --on districts --contiguity queen"; do
    # shellcheck disable=SC2086
    run() { "$HOTMAP" $cmd "$@" --crs EPSG:32735 -o "$out" --overwrite -v 2> "$log" || { cat "$log"; exit 1; }; }
    out=files.csv log=files.log run -i far.csv -d "$K/districts.geojson"
    out=pg.csv log=pg.log run -i "$PG" --layer hm_incidents_far_grid -d "$K/districts.geojson"
    cmp files.csv pg.csv || { echo "$cmd:"; diff files.csv pg.csv | head; exit 1; }
    grep -q "filtered: outside_study_area 3\(;\|$\)" pg.log || { echo "$cmd: the server did not leave out the 3 far rows:"; cat pg.log; exit 1; }
    # the rows read in batches as they come from the server: the same layer and accounting
    out=pgb.csv log=pgb.log run -i "$PG" --layer hm_incidents_far_grid -d "$K/districts.geojson" --batch-rows 700
    cmp files.csv pgb.csv || { echo "$cmd --batch-rows:"; diff files.csv pgb.csv | head; exit 1; }
    grep -q "incidents read in [0-9]* batch(es)" pgb.log && grep -q "filtered: outside_study_area 3\(;\|$\)" pgb.log || { echo "$cmd --batch-rows:"; cat pgb.log; exit 1; }
    case $cmd in
    grid*|*--cell*) grep -q "outside: [0-9]* (and 3 rows left out by the server" pg.log || { cat pg.log; exit 1; } ;;
    esac
    echo "$cmd: same layer, 3 far rows left out by the server"
  done
  # rows in the cells along the districts' box (up to a cell beyond it) are read: with a cell of
  # 2 km, an incident 600 m south of the box (UTM 35S 741000, 9338300), in the kept cell of row 0,
  # column 3, counts as from the file
  far_table hm_incidents_far_grid "(100004, '100004', '2024-05-04 10:00:00', 'theft', 1, ST_SetSRID(ST_MakePoint(29.177069216423, -5.98207095859413), 4326))"
  run() { "$HOTMAP" grid --cell 2000 "$@" --crs EPSG:32735 -o "$out" --overwrite -v 2> "$log" || { cat "$log"; exit 1; }; }
  out=files.csv log=files.log run -i far.csv -d "$K/districts.geojson"
  out=pg.csv log=pg.log run -i "$PG" --layer hm_incidents_far_grid -d "$K/districts.geojson"
  cmp files.csv pg.csv || { diff files.csv pg.csv | head; exit 1; }
  grep -q "^3,0,3,12," pg.csv || { echo "the row south of the box is not in cell (0, 3):"; head -3 pg.csv; exit 1; }
  q "DROP TABLE hm_incidents_far_grid"
  ;;
boundary)
  # two squares sharing the edge x = 700000 and a third (overlapping the second) touching the first
  # at one corner, in UTM 35S; points inside, on the shared edge, on the corner, on a diagonal
  # edge (exactly: whole metres, on the edge in any arithmetic), outside; counted by hand below
  cat > b_districts.geojson << 'EOF2'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32735"}},"features":[
{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[699000,9340000],[700000,9340000],[700000,9341000],[699000,9341000],[699000,9340000]]]}},
{"type":"Feature","properties":{"name":"B"},"geometry":{"type":"Polygon","coordinates":[[[700000,9340000],[701000,9340000],[701000,9341000],[700000,9341000],[700000,9340000]]]}},
{"type":"Feature","properties":{"name":"C"},"geometry":{"type":"Polygon","coordinates":[[[700000,9341000],[701000,9342000],[700000,9342000],[700000,9341000]]]}}
]}
EOF2
  cat > b_incidents.csv << 'EOF2'
id,x,y,note
1,699500,9340500,inside A
2,699200,9340800,inside A
3,700500,9340500,inside B
4,700000,9340500,edge A|B
5,700000,9340000,corner A|B on the bottom edge
6,700000,9341000,corner A|B|C
7,700500,9341500,diagonal edge of C (inside nothing else)
8,700200,9341800,inside C
9,702000,9340500,outside
EOF2
  ogr2ogr -f PostgreSQL "$PG" b_districts.geojson -nln hm_b_districts -overwrite -lco GEOMETRY_NAME=geom
  ogr2ogr -f PostgreSQL "$PG" b_incidents.csv -nln hm_b_incidents -overwrite -lco FID=fid -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:32735 -lco GEOMETRY_NAME=geom
  run() { "$HOTMAP" districts "$@" -o "$out" --overwrite -v 2> "$log" || { cat "$log"; exit 1; }; }
  out=files.csv log=files.log run -i b_incidents.csv --x x --y y --incidents-crs EPSG:32735 -d b_districts.geojson
  out=agg.csv log=agg.log run -i "$PG" --layer hm_b_incidents -d b_districts.geojson --aggregate-in-database
  out=agg2.csv log=agg2.log run -i "$PG" --layer hm_b_incidents -d "$PG" --district-layer hm_b_districts --aggregate-in-database
  cmp files.csv agg.csv || { diff files.csv agg.csv; exit 1; }
  cmp files.csv agg2.csv || { diff files.csv agg2.csv; exit 1; }
  # by hand: A = 1,2,4,5,6 (5); B = 3,4,5,6 (4); C = 6,7,8 (3); 9 in none; 4,5,6 in more than one
  got=$(cut -d, -f1,2 files.csv | tr '\n' ' ')
  [ "$got" = "district,incidents A,5 B,4 C,3 " ] || { echo "unexpected counts: $got"; exit 1; }
  grep -q "incidents in no district: 1; in more than one: 3" agg.log || { cat agg.log; exit 1; }
  echo "boundary points: $got(the same on the server)"
  ;;
fails|refused)
  RE=$1 CMD=$2
  shift 2
  n=$#
  for a in "$@"; do
    case $a in
    @PG@) set -- "$@" "$PG" ;;
    *) set -- "$@" "$a" ;;
    esac
  done
  shift "$n"
  set +e
  "$HOTMAP" "$CMD" "$@" -o out.csv --overwrite 2> err.log
  rc=$?
  set -e
  cat err.log
  [ "$rc" -ne 0 ] || { echo "exit 0, expected a failure"; exit 1; }
  [ "$MODE" != refused ] || [ "$rc" -eq 2 ] || { echo "exit $rc, expected 2 (usage error)"; exit 1; }
  [ "$(wc -l < err.log)" -eq 1 ] || { echo "expected one line on stderr"; exit 1; }
  grep -Eq "$RE" err.log || { echo "stderr does not match $RE"; exit 1; }
  [ ! -e out.csv ] || { echo "partial output out.csv"; exit 1; }
  ;;
esac
