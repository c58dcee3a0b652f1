# SPDX-License-Identifier: MIT
# Incidents read in batches (--batch-rows, or automatically when the file would not fit in
# memory): grid, hotspots and districts give the same output byte for byte as a whole read,
# with small batches (about 70 rows, 1 thread) and the parallel loops cut small (HOTMAP_CHUNK_CAP=256) on 1 and 3 threads.
set(K @SAMPLES@/kalemie)
set(IN "-q -i ${K}/incidents.csv")
function(same_bytes_in_batches name out)
  string(JOIN " " args ${ARGN})
  set(cmd "\"$HOTMAP\" ${args} -o whole_${out} && ")
  # CAP:ROWS:THREADS; the cap also bounds a CSV chunk in bytes (a batch is whole chunks): 0 = no cap:
  # chunks of 4 KiB, about 70 rows, so --batch-rows 1 reads about 70 batches
  foreach(run 0:1:1 256:300:3 256:1100:1)
    string(REPLACE ":" ";" r "${run}")
    list(GET r 0 cap)
    list(GET r 1 rows)
    list(GET r 2 t)
    set(env "")
    if(NOT cap EQUAL 0)
      set(env "HOTMAP_CHUNK_CAP=${cap} ")
    endif()
    string(APPEND cmd "${env}\"$HOTMAP\" ${args} --batch-rows ${rows} --threads ${t} -o b${rows}_${t}_${out} && cmp whole_${out} b${rows}_${t}_${out} && ")
  endforeach()
  string(APPEND cmd "true")
  add_cli_test(NAME batches-${name} ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c "${cmd}")
endfunction()
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/incidents.csv")
  # over the districts, per category, weighted; lon/lat: the median passes choose the UTM zone
  same_bytes_in_batches(grid-districts g.csv grid ${IN} -d ${K}/districts.geojson --cell 250 --weight weight)
  # no districts: a first pass finds the extent; hexagons; a projected CRS given: no median passes
  same_bytes_in_batches(grid-extent-hex g.csv grid ${IN} --cell 300 --shape hex --crs EPSG:32735)
  same_bytes_in_batches(grid-filters g.csv grid ${IN} --cell 250 --from 2024-03-01 --to 2024-09-01 --hours 18-6 --categories theft,assault)
  same_bytes_in_batches(districts-month d.csv districts ${IN} -d ${K}/districts.geojson --period month --population population)
  same_bytes_in_batches(districts-by d.csv districts ${IN} -d ${K}/districts.geojson --by hour-of-week,month --weight weight)
  same_bytes_in_batches(districts-sensitive d.csv districts ${IN} -d ${K}/districts.geojson --sensitive assault --min-count 3)
  same_bytes_in_batches(gistar h.csv hotspots ${IN} -d ${K}/districts.geojson --cell 250 --distance 750)
  same_bytes_in_batches(lisa h.csv hotspots ${IN} --cell 250 --distance 750 --method lisa)
  same_bytes_in_batches(hotspots-districts h.csv hotspots ${IN} -d ${K}/districts.geojson --on districts)
  # coverage: the per-district table and layer, the gaps ranked by their incidents
  set(COV coverage ${IN} -d ${K}/districts.geojson --facilities ${K}/facilities.geojson --facility-type type --radius station=800,post=500,lamp=40)
  same_bytes_in_batches(coverage-districts c.csv ${COV})
  string(JOIN " " cov ${COV})
  add_cli_test(NAME batches-coverage-table-gaps ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "\"$HOTMAP\" ${cov} --gaps ga.csv > ta.txt && \"$HOTMAP\" ${cov} --gaps gb.csv --batch-rows 300 > tb.txt && cmp ta.txt tb.txt && cmp ga.csv gb.csv && grep -q 'incidents covered: 1908 of 4948' tb.txt")
  # emerging: the cube's counts per location and step; without districts the cells with an
  # incident in the steps (a first pass for the time span and the extent); the incidents in no
  # location and outside the steps counted alike (the last 45-day step partial, dropped)
  same_bytes_in_batches(emerging-grid e.csv emerging ${IN} --cell 250 --distance 750 --from 2024-02-01 --to 2024-11-01)
  same_bytes_in_batches(emerging-districts e.csv emerging ${IN} -d ${K}/districts.geojson --on districts --period quarter --weight weight)
  add_cli_test(NAME batches-emerging-log ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "\"$HOTMAP\" emerging -v -i ${K}/incidents.csv --cell 100 --distance 300 --step 45d --drop-partial -o a.csv 2> la.txt && \"$HOTMAP\" emerging -v -i ${K}/incidents.csv --cell 100 --distance 300 --step 45d --drop-partial --batch-rows 300 -o b.csv 2> lb.txt && grep 'no analysed location\\|outside the steps\\|cube:' la.txt > a.txt && grep 'no analysed location\\|outside the steps\\|cube:' lb.txt > b.txt && grep -q '35 incident(s) lie in no analysed location' a.txt && grep -q '69 incident(s) fall outside the steps' a.txt && cmp a.txt b.txt && cmp a.csv b.csv")
  # info: the summary (table and JSON) and its accounting with a time window
  add_cli_test(NAME batches-info ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "\"$HOTMAP\" info ${IN} --weight weight --from 2024-06-01 --json > a.json && \"$HOTMAP\" info ${IN} --weight weight --from 2024-06-01 --json --batch-rows 300 > b.json && cmp a.json b.json && grep -q '\"time_window\": 1057' b.json && \"$HOTMAP\" info ${IN} > a.txt && \"$HOTMAP\" info ${IN} --batch-rows 1 > b.txt && cmp a.txt b.txt")
  # the rejects file lists the same rows, in row order (the reader's and the projection's)
  add_cli_test(NAME batches-rejects ARGS grid -q -i ${K}/incidents.csv -d ${K}/districts.geojson --cell 250 --batch-rows 400 -o b.csv --rejects rb.csv
               OUTPUTS b.csv rb.csv
               CHECK_CMD sh -c "\"$HOTMAP\" grid ${IN} -d ${K}/districts.geojson --cell 250 -o a.csv --rejects ra.csv && cmp a.csv b.csv && cmp ra.csv rb.csv && test $(wc -l < rb.csv) -eq 53")
  # from a GeoPackage (GDAL's reader, batches of rows as they come)
  add_cli_test(NAME batches-gpkg ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "ogr2ogr -q -f GPKG inc.gpkg ${K}/incidents.csv -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 2>/dev/null && \"$HOTMAP\" districts -q -i inc.gpkg -d ${K}/districts.geojson --period month -o a.csv && \"$HOTMAP\" districts -q -i inc.gpkg -d ${K}/districts.geojson --period month --batch-rows 333 -o b.csv && cmp a.csv b.csv")
  # automatic: a memory limit the file would overfill
  add_cli_test(NAME batches-automatic ARGS grid -i ${K}/incidents.csv --cell 250 -d ${K}/districts.geojson -o b.csv -v
               ENV HOTMAP_MEMORY_LIMIT=400000
               STDERR_REGEX "about 50[0-9][0-9] rows, more than half of the .* of memory would hold: read in batches of about 100000 rows.*incidents read in 1 batch"
               OUTPUTS b.csv
               CHECK_CMD sh -c "\"$HOTMAP\" grid ${IN} --cell 250 -d ${K}/districts.geojson -o a.csv && cmp a.csv b.csv")
  add_cli_test(NAME batches-strict ARGS grid -i ${K}/incidents.csv --cell 250 --batch-rows 300 --strict -o b.csv EXPECT_RC 1
               STDERR_REGEX "incidents.csv: line 50, column 'datetime': rejected \\(unparseable_time\\) and --strict is set" NO_OUTPUTS b.csv)
endif()
add_cli_test(NAME batches-not-dbscan ARGS hotspots -i @DATA@/squares_points.csv --method dbscan --eps 100 --batch-rows 10 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "--batch-rows: --method dbscan needs the incident points held together" NO_OUTPUTS out.csv)
add_cli_test(NAME batches-not-incident-output ARGS coverage -i @DATA@/squares_points.csv --facilities @DATA@/coverage_posts.geojson:500 --incident-output i.csv --batch-rows 10
             EXPECT_RC 2 STDERR_REGEX "--batch-rows: the per-incident layer \\(--incident-output\\) needs the incidents held" NO_OUTPUTS i.csv)
add_cli_test(NAME batches-not-in-database ARGS grid -i "PG:dbname=none" --layer t --cell 100 --batch-rows 10 --aggregate-in-database -o out.csv
             EXPECT_RC 2 STDERR_REGEX "--batch-rows and --aggregate-in-database exclude each other" NO_OUTPUTS out.csv)
