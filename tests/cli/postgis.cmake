# SPDX-License-Identifier: MIT
# Incidents and districts in PostgreSQL/PostGIS (README "Incidents in PostgreSQL/PostGIS"):
# against a real server (HOTMAP_TEST_PG, default scripts/start-test-postgres.sh's database),
# skipped (77) when none answers. pg.load loads the Kalemie sample with ogr2ogr; each check runs
# a command on the sample files and on the tables and wants the same CSV (tests/cli/pg_check.sh).
set(pg_dir ${CMAKE_CURRENT_BINARY_DIR}/cli-pg)
set(pg_check sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/pg_check.sh $<TARGET_FILE:hotmap> ${PROJECT_SOURCE_DIR}/data-samples)
file(MAKE_DIRECTORY ${pg_dir}/load)
add_test(NAME pg.load COMMAND ${pg_check} load WORKING_DIRECTORY ${pg_dir}/load)
set_tests_properties(pg.load PROPERTIES FIXTURES_SETUP postgis SKIP_RETURN_CODE 77 TIMEOUT 120 RESOURCE_LOCK postgis_load)

function(add_pg_test name)
  file(MAKE_DIRECTORY ${pg_dir}/${name})
  add_test(NAME pg.${name} COMMAND ${pg_check} ${ARGN} WORKING_DIRECTORY ${pg_dir}/${name})
  set_tests_properties(pg.${name} PROPERTIES FIXTURES_REQUIRED postgis SKIP_RETURN_CODE 77 TIMEOUT 120)
endfunction()

# rows read through GDAL's PG driver (only the used columns travel; --where on the server)
add_pg_test(grid-read same grid @I@ @D@ --cell 250)
add_pg_test(grid-read-where same grid @I@ @D@ --cell 250 --where "category <> 'fraud'")
add_pg_test(districts-read same districts @I@ @D@ --population population)
add_pg_test(hotspots-read same hotspots @I@ @D@ --on grid --cell 250 --distance 750)
# a timestamp column: the time window is sent to the server
add_pg_test(grid-read-window same grid @ITS@ @D@ --cell 250 --from 2024-03-01 --to 2024-09-01)
# --aggregate-in-database: the server counts per cell (same cells, same counts, same c_<category>)
add_pg_test(grid-agg same grid @I@ @D@ --cell 250 @AGG@)
add_pg_test(grid-agg-no-districts same grid @I@ --cell 300 @AGG@)
add_pg_test(grid-agg-extent same grid @I@ --cell 200 --crs EPSG:32735 --extent 740000,9340000,750000,9346000 @AGG@)
add_pg_test(grid-agg-where same grid @I@ @D@ --cell 250 --where "category <> 'fraud'" --from 2024-03-01 --to 2024-09-01 @AGG@)
add_pg_test(grid-agg-window same grid @ITS@ @D@ --cell 250 --from 2024-03-01 --to 2024-09-01 @AGG@)
# hotspots on the server's counts per cell: the same statistics, classes and layer as from the rows
add_pg_test(hotspots-agg same hotspots @I@ @D@ --on grid --cell 250 --distance 750 @AGG@)
add_pg_test(hotspots-agg-lisa same hotspots @I@ --cell 300 --method lisa --distance 900 --permutations 99 --seed 3 @AGG@)
add_pg_test(hotspots-agg-weight same hotspots @I@ @D@ --cell 250 --distance 750 --weight weight --where "category <> 'fraud'" @AGG@)
add_pg_test(hotspots-agg-dbscan refused "^hotmap hotspots: error: --aggregate-in-database: --method dbscan needs the incident points"
            hotspots -i @PG@ --layer hm_incidents --method dbscan --eps 100 --aggregate-in-database)
add_pg_test(hotspots-agg-districts refused "^hotmap hotspots: error: --aggregate-in-database counts square cells only"
            hotspots -i @PG@ --layer hm_incidents -d @PG@ --district-layer hm_districts --on districts --aggregate-in-database)
# bad input: one line naming the source (password hidden), exit 1, no output
add_pg_test(missing-table fails "^hotmap grid: error: PG:.*password=\\*\\*\\*.*: no (layer|table) named 'no_such_table'$"
            grid -i @PG@ --layer no_such_table --cell 250)
add_pg_test(missing-table-agg fails "^hotmap grid: error: PG:.*: no table named 'no_such_table'$"
            grid -i @PG@ --layer no_such_table --cell 250 --aggregate-in-database)
add_pg_test(no-layer fails "^hotmap grid: error: PG:.*several tables: name the incidents' one with --layer"
            grid -i @PG@ --cell 250)
add_pg_test(agg-hours fails "^hotmap grid: error: --aggregate-in-database: --hours and --days"
            grid -i @PG@ --layer hm_incidents --cell 250 --hours 18-6 --aggregate-in-database)
# districts --aggregate-in-database: the server finds each point's districts (the polygons in a
# temporary table) and counts; the same layer as the file run, polygons from a file or the server
add_pg_test(districts-agg same districts @I@ @DF@ --population population @AGG@)
add_pg_test(districts-agg-pg-districts same districts @I@ @D@ --population population --period quarter --weight weight @AGG@)
add_pg_test(districts-agg-where-window same districts @I@ @DF@ --where "category <> 'fraud'" --from 2024-03-01 --to 2024-09-01
            --period month @AGG@)
add_pg_test(districts-agg-timestamp same districts @ITS@ @DF@ --from 2024-03-01 --to 2024-09-01 --period day --by hour-of-week,month @AGG@)
add_pg_test(districts-agg-by same districts @I@ @DF@ --period week --by month --min-count 3 @AGG@)
# the districts' bounding box sent with the rows read (and the aggregate): 3 far rows left out, same table
add_pg_test(districts-far far)
# grid and hotspots over the districts: rows beyond the districts' box widened by a cell stay on the server
add_pg_test(grid-far far-grid)
# points on shared edges and corners: in every district they touch, on the server as in hotmap
add_pg_test(districts-boundary boundary)
# what the server cannot do is refused in one line (exit 2)
add_pg_test(districts-agg-categories refused "^hotmap districts: error: --aggregate-in-database: --categories is not supported"
            districts -i @PG@ --layer hm_incidents -d @PG@ --district-layer hm_districts --categories theft --aggregate-in-database)
add_pg_test(districts-agg-rejects refused "^hotmap districts: error: --aggregate-in-database: --strict and --rejects need the rows"
            districts -i @PG@ --layer hm_incidents -d @PG@ --district-layer hm_districts --rejects r.csv --aggregate-in-database)
add_pg_test(districts-agg-days refused "^hotmap districts: error: --aggregate-in-database: --hours and --days"
            districts -i @PG@ --layer hm_incidents -d @PG@ --district-layer hm_districts --days mon,tue --aggregate-in-database)
add_pg_test(districts-agg-file refused "^hotmap districts: error: --aggregate-in-database needs a PostgreSQL/PostGIS source"
            districts -i incidents.csv -d @PG@ --district-layer hm_districts --aggregate-in-database)
