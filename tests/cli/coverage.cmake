# SPDX-License-Identifier: MIT
# hotmap coverage: hand-checked coverage (points, lines, per-type radii, boundary), every
# output layer, the Chicago real-data count, and bad inputs (clear error, no partial output).
add_command_basics(coverage)
set(COV_IN -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
# post 500 m reaches incident 1 (on it) and incident 3 (exactly 500 m: covered); lamp 40 m reaches incident 4
add_cli_test(NAME coverage-per-type-table ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type type --radius post=500,lamp=40
             STDOUT_REGEX "West +1\\.000 +0\\.784 +78\\.4 +4 +2 +50\\.0" "incidents covered: 3 of 7 \\(42\\.9%\\)")
add_cli_test(NAME coverage-incident-output ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type type --radius post=500,lamp=40 --incident-output inc.csv
             OUTPUTS inc.csv
             CHECK_CMD sh -c "grep -qx 'incident,nearest_id,nearest_type,nearest_m,covered,n_within,time,category' inc.csv && grep -qx '4,1,post,500,1,1,2024/03/15 10:00:00,' inc.csv && grep -qx '3,1,post,565.685424949238,0,0,2024/02/15 10:00:00,' inc.csv")
# the radius field (post 250 m) beats the type rule; the lamp without a value takes the type rule
add_cli_test(NAME coverage-radius-field ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type type --radius post=500,lamp=40 --radius-field radius STDOUT_REGEX "incidents covered: 2 of 7")
# a patrol route (line) with a layer radius: the three incidents on it are covered
add_cli_test(NAME coverage-line-facility ARGS coverage ${COV_IN} --facilities @DATA@/lines.geojson:100 --incident-output inc.geojson
             OUTPUTS inc.geojson inc.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -q inc.geojson | grep -c 'covered (Integer) = 1' | grep -qx 3 && grep -q covered inc.qml")
add_cli_test(NAME coverage-two-layers ARGS coverage ${COV_IN} --facilities @DATA@/lines.geojson:100
             --facilities @DATA@/coverage_posts.geojson --facility-type type --radius post=500,lamp=40 -o d.geojson
             OUTPUTS d.geojson d.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -q d.geojson | grep -q 'covered_inc_lines (Integer) = 3' && ogrinfo -ro -al -q d.geojson | grep -q 'covered_inc_post (Integer) = 2' && ogrinfo -ro -al -q d.geojson | grep -q 'covered_inc (Integer) = 4'")
foreach(ext geojson shp gpkg fgb csv)
  add_cli_test(NAME coverage-format-${ext} ARGS coverage -q ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100 -o out.${ext}
               OUTPUTS out.${ext}
               CHECK_CMD sh -c "ogrinfo -ro -al out.${ext} | grep -Eq '\\) = 25(\\.0*)?$'")
endforeach()
add_cli_test(NAME coverage-gaps-and-area ARGS coverage ${COV_IN} --facilities @DATA@/lines.geojson:100
             --gaps gaps.gpkg --covered-area covered.geojson --distance-raster dist.tif --cell 100
             OUTPUTS gaps.gpkg covered.geojson covered.qml dist.tif
             CHECK_CMD sh -c "ogrinfo -ro -al -q gaps.gpkg | grep -Eq 'rank \\(Integer(64)?\\) = 1' && ogrinfo -ro -q gaps.gpkg -sql 'SELECT COUNT(*) AS n FROM layer_styles' | grep -q 'n (Integer) = 1' && ogrinfo -ro -al -q covered.geojson | grep -q 'study_km2 (Real) = 2' && gdalinfo dist.tif | grep -q 'NoData Value=-9999'")
add_cli_test(NAME coverage-min-gap-area ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100
             --gaps gaps.geojson --min-gap-area 950000
             CHECK_CMD sh -c "ogrinfo -ro -al -q gaps.geojson | grep -c 'gap_id' | grep -qx 1")
add_cli_test(NAME coverage-night-hours ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100 --hours 18-6
             STDERR_REGEX "warning: no incident was accepted" STDOUT_REGEX "incidents covered: 0 of 0")
set(C @SHARED@/realdata/chicago_abandoned_vehicles_2016)
add_cli_test(NAME coverage-chicago-supermarkets ARGS coverage -q -i ${C}/incidents.csv -d ${C}/community_areas_32616.geojson
             --facilities ${C}/supermarkets.csv:1000 STDOUT_REGEX "incidents covered: 1478 of 2635")
# bad inputs: clear one-line error, right exit code, no partial output
add_cli_test(NAME coverage-missing-facilities ARGS coverage ${COV_IN} --facilities @DATA@/no_such.geojson:100 -o out.geojson
             EXPECT_RC 1 STDERR_REGEX "no_such.geojson: cannot open: no such file" NO_OUTPUTS out.geojson)
add_cli_test(NAME coverage-bad-radius-syntax ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type type --radius lamp=abc EXPECT_RC 2 STDERR_REGEX "--radius 'lamp=abc': radius 'abc' is not a positive number")
add_cli_test(NAME coverage-bad-layer-radius ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:-3
             EXPECT_RC 2 STDERR_REGEX "radius '-3' is not a positive number")
add_cli_test(NAME coverage-unknown-type-without-radius ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type type --radius post=500 --gaps gaps.geojson EXPECT_RC 2
             STDERR_REGEX "coverage_posts.geojson: feature 2 has type 'lamp' with no radius \\(give --radius lamp=METRES" NO_OUTPUTS gaps.geojson)
add_cli_test(NAME coverage-no-radius ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson EXPECT_RC 2
             STDERR_REGEX "coverage_posts.geojson: no radius")
add_cli_test(NAME coverage-missing-type-field ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson
             --facility-type kind --radius post=500 EXPECT_RC 2 STDERR_REGEX "no radius")
add_cli_test(NAME coverage-polygon-facilities ARGS coverage ${COV_IN} --facilities @DATA@/two_squares.geojson:100 EXPECT_RC 1
             STDERR_REGEX "two_squares.geojson: feature 1: a Polygon; facilities must be points or lines")
add_cli_test(NAME coverage-gaps-need-districts ARGS coverage -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             --facilities @DATA@/lines.geojson:100 --gaps gaps.geojson EXPECT_RC 2 STDERR_REGEX "--gaps needs --districts")
add_cli_test(NAME coverage-no-facilities ARGS coverage ${COV_IN} EXPECT_RC 2 STDERR_REGEX "'--facilities' is required")
add_cli_test(NAME coverage-raster-extension ARGS coverage ${COV_IN} --facilities @DATA@/lines.geojson:100 --distance-raster d.png
             EXPECT_RC 2 STDERR_REGEX "expected a .tif path")
add_cli_test(NAME coverage-existing-output ARGS coverage ${COV_IN} --facilities @DATA@/lines.geojson:100 --gaps gaps.geojson
             SETUP_FILES gaps.geojson EXPECT_RC 1 STDERR_REGEX "gaps.geojson: already exists \\(use --overwrite to replace it\\)"
             CHECK_CMD sh -c "test \"$(cat gaps.geojson)\" = old")
# the README example on the demo data (when data-samples/kalemie is there)
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/facilities.geojson")
  set(K @SAMPLES@/kalemie)
  add_cli_test(NAME coverage-kalemie-readme ARGS coverage -q -i ${K}/incidents.csv -d ${K}/districts.geojson
               --facilities ${K}/facilities.geojson --facilities ${K}/patrols.geojson --facility-type type
               --radius station=800,post=500,lamp=40,patrol=150 --hours 18-6 -o coverage.gpkg --gaps night_gaps.gpkg
               --min-gap-area 10000 --incident-output incidents.geojson
               OUTPUTS coverage.gpkg night_gaps.gpkg incidents.geojson incidents.qml
               CHECK_CMD sh -c "ogrinfo -ro -al -q coverage.gpkg | grep -q covered_inc_lamp && ogrinfo -ro -al -q night_gaps.gpkg | grep -Eq 'rank \\(Integer(64)?\\) = 1$'")
endif()
# facility tables follow the incidents' rules: longitude/latitude and lng/lat names are lon/lat
# (the post P1 at 27.0045 E, 5.9665 S = (500500, 9340500) in EPSG:32735 reaches incidents 1, 2, 3
# within 600 m), x/y without a CRS is an error that names --facilities-crs
foreach(f longitude lng)
  add_cli_test(NAME coverage-facility-csv-${f} ARGS coverage ${COV_IN} --facilities @DATA@/bad/facilities_${f}.csv:600
               STDOUT_REGEX "West +1\\.000 +[0-9.]+ +[0-9.]+ +4 +3 +75\\.0" "incidents covered: 3 of 7")
endforeach()
add_cli_test(NAME coverage-facility-csv-xy-needs-crs ARGS coverage ${COV_IN} --facilities @DATA@/bad/facilities_xy.csv:600
             EXPECT_RC 1 STDERR_REGEX "^hotmap coverage: error: .*facilities_xy.csv: the coordinate columns 'x'/'y' are not named lon/lat and no CRS is known: give --facilities-crs")
add_cli_test(NAME coverage-facility-csv-xy-with-crs ARGS coverage ${COV_IN} --facilities @DATA@/bad/facilities_xy.csv:600
             --facilities-crs EPSG:32735 STDOUT_REGEX "incidents covered: 3 of 7")
# the GeoPackage style table is registered and stamped in ISO 8601 UTC: GDAL opens it without a warning
add_cli_test(NAME coverage-gpkg-style-table ARGS coverage -q ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100 -o out.gpkg
             OUTPUTS out.gpkg
             CHECK_CMD sh -c "ogrinfo -ro -q out.gpkg -sql 'SELECT data_type FROM gpkg_contents WHERE table_name = \"layer_styles\"' | grep -q 'data_type (String) = attributes' && ogrinfo -ro -q out.gpkg -sql \"SELECT update_time || '' AS t FROM layer_styles\" | grep -Eq 't \\(String\\) = [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' && ! ogrinfo -ro out.gpkg 2>&1 | grep -qi warning")
# --geomask donut:50-250 on the per-incident layer (publication): every point moved 50 to 250 m,
# in its own district, reproducible by --geomask-seed; nearest_m withheld; the k-anonymity from the
# districts' population reported. check_geomask.py pairs the masked and the true points.
set(GM_IN -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson --population population
          --facilities @SAMPLES@/kalemie/facilities.geojson --facility-type type --radius station=800,post=500,lamp=40,patrol=150)
string(REPLACE ";" " " GM_IN_TEXT "${GM_IN}")
set(GM_RUN "\"$HOTMAP\" coverage -q ${GM_IN_TEXT} -o x.csv --overwrite")
add_cli_test(NAME coverage-geomask ARGS coverage -q -v ${GM_IN} -o d.csv --incident-output m.gpkg --geomask donut:50-250 --geomask-seed 7
             STDERR_REGEX "geomask donut 50-250 m: 4948 incident point\\(s\\) moved 50 to 250 m in a random direction, each within its own district \\(0 placed by the fallback scan, 0 left their district, 8 in no district\\); estimated k-anonymity \\(residents within the displacement\\): min 38, median 735"
             CHECK_CMD sh -c "${GM_RUN} --incident-output t.gpkg && ${GM_RUN} --incident-output m2.gpkg --geomask donut:50-250 --geomask-seed 7 && ogr2ogr -f GeoJSON t.geojson t.gpkg t && ogr2ogr -f GeoJSON m.geojson m.gpkg m && ogr2ogr -f GeoJSON m2.geojson m2.gpkg m2 && sed 's/\"name\": \"m2\"/\"name\": \"m\"/' m2.geojson | cmp - m.geojson && ogr2ogr -f GeoJSON -t_srs EPSG:32735 dist.geojson @SAMPLES@/kalemie/districts.geojson && python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_geomask.py t.geojson m.geojson dist.geojson 50 250 && ogrinfo -ro -q m.gpkg -sql 'SELECT COUNT(nearest_m) AS d FROM m' | grep -q 'd (Integer) = 0' && ogrinfo -ro -al -q m.gpkg | grep -q 'nearest_m is withheld'")
add_cli_test(NAME coverage-geomask-bad ARGS coverage -q ${GM_IN} -o d.csv --incident-output m.gpkg --geomask donut:250-50 EXPECT_RC 2
             STDERR_REGEX "error: --geomask" NO_OUTPUTS d.csv m.gpkg)
add_cli_test(NAME coverage-geomask-seed-alone ARGS coverage -q ${GM_IN} -o d.csv --geomask-seed 7 EXPECT_RC 2
             STDERR_REGEX "error: --geomask-seed needs --geomask donut:MIN-MAX" NO_OUTPUTS d.csv)
add_cli_test(NAME hotspots-geomask-not-gistar ARGS hotspots -q -i @SAMPLES@/kalemie/incidents.csv --cell 250 --geomask donut:50-250 -o h.gpkg
             EXPECT_RC 2 STDERR_REGEX "error: --geomask applies to --method dbscan" NO_OUTPUTS h.gpkg)
# the mask does not depend on the thread count (each point draws from its own stream)
set(cmd "")
foreach(t 1 2 7)
  string(APPEND cmd "HOTMAP_CHUNK_CAP=64 ${GM_RUN} --incident-output m${t}.gpkg --geomask donut:50-250 --geomask-seed 11 --threads ${t} && ogr2ogr -f GeoJSON m${t}.geojson m${t}.gpkg m${t} && sed -i 's/\"name\": \"m${t}\"/\"name\": \"m\"/' m${t}.geojson && ")
endforeach()
add_cli_test(NAME threads-coverage-geomask ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c "${cmd}cmp m1.geojson m2.geojson && cmp m1.geojson m7.geojson")
# DBSCAN hulls drawn around the masked members
add_cli_test(NAME hotspots-dbscan-geomask ARGS hotspots -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson
             --method dbscan --eps 50 --min-points 4 --min-count 5 --geomask donut:20-60 --geomask-seed 3 -o c.gpkg
             STDERR_REGEX "geomask donut 20-60 m: 4948 incident point\\(s\\) moved 20 to 60 m.*--min-count 5: 12 cluster\\(s\\) of fewer than 5 incidents left out"
             CHECK_CMD sh -c "ogrinfo -ro -al -q c.gpkg | grep -q 'the hulls are drawn around the masked points'")
# Along the streets (spatstat's Chicago street crimes, 5 posts of 100 m): 73 of 116 crimes
# within 100 m of walking, 91 within 100 m in a straight line; nearest post and network
# distance per crime as the reference (spatstat.linnet) within 1e-5 m.
set(CS @SHARED@/realdata/chicago_street_crimes)
set(CSR ${HOTMAP_SHARED_DIR}/reference/chicago_street_crimes)
add_cli_test(NAME coverage-streets-chicago-count ARGS coverage -i ${CS}/crimes.csv --facilities ${CS}/posts.csv:100
             --streets ${CS}/streets_32616.geojson STDOUT_REGEX "incidents covered along the streets: 73 of 116")
add_cli_test(NAME coverage-straight-chicago-count ARGS coverage -i ${CS}/crimes.csv --facilities ${CS}/posts.csv:100
             STDOUT_REGEX "incidents covered: 91 of 116")
add_cli_test(NAME coverage-streets-chicago-reference ARGS coverage -i ${CS}/crimes.csv --facilities ${CS}/posts.csv:100
             --streets ${CS}/streets_32616.geojson --incident-output inc.csv --covered-area reach.geojson --gaps gaps.gpkg
             OUTPUTS inc.csv reach.geojson reach.qml gaps.gpkg
             CHECK_CMD sh -c "python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/network_vs_reference.py inc.csv ${CSR}/nearest_post.csv 1e-5 && ogrinfo -ro -al -q reach.geojson | grep -q 'length_m (Real)' && ogrinfo -ro -al -q gaps.gpkg | grep -Eq 'rank \\(Integer(64)?\\) = 1$'")
# bad street inputs: one-line error naming the file, exit 1, no partial output
add_cli_test(NAME coverage-streets-not-lines ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100
             --streets @DATA@/two_squares.geojson --incident-output inc.csv EXPECT_RC 1
             STDERR_REGEX "two_squares.geojson: feature 1: a Polygon; streets must be lines" NO_OUTPUTS inc.csv)
add_cli_test(NAME coverage-streets-missing ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100
             --streets @DATA@/no_such_streets.geojson EXPECT_RC 1 STDERR_REGEX "no_such_streets.geojson: cannot open: no such file")
add_cli_test(NAME coverage-streets-facility-off-network ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100
             --streets @DATA@/lines.geojson --max-snap 1 --incident-output inc.csv EXPECT_RC 1
             STDERR_REGEX "facility .coverage_posts. feature 2 is [0-9.]+ m from the nearest street of .*lines.geojson, beyond --max-snap 1 m"
             NO_OUTPUTS inc.csv)
add_cli_test(NAME coverage-streets-raster ARGS coverage ${COV_IN} --facilities @DATA@/coverage_posts.geojson:100
             --streets @DATA@/lines.geojson --distance-raster d.tif EXPECT_RC 2 STDERR_REGEX "cannot be combined with --streets")
# Hand-made network (tests/data/streets_cross.geojson): a main street E-W through a junction at
# (501000, 9340500) with a side street N-S, and a "bridge" N-S crossing the main street at
# x = 500500 without a shared vertex (not joined: a second part). One post on the side street
# 300 m north of the junction, radius 600 m. Incidents 1, 3, 4 lie on the main street (800,
# 300 and 800 m of walking from the post; 583, 300 and 583 m straight), 2, 5, 6, 7 lie 400 to
# 1000 m from any street: beyond --max-snap 300. Covered streets: the side street's 500 m north
# of the junction, 300 m each way along the main street and south: 1.4 km of 4 km.
# West holds the main street's west half, the bridge and the side street (on the shared border,
# counted in both districts, as incidents on a border are): 3 km, 1.1 km covered; East 2 km, 1.1 km.
set(NET_IN -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
    --facilities @DATA@/street_post.geojson:600 --streets @DATA@/streets_cross.geojson --max-snap 300)
add_cli_test(NAME coverage-streets-hand ARGS coverage ${NET_IN}
             STDOUT_REGEX "West +3\\.000 +1\\.100 +36\\.7 +4 +1 +25\\.0" "East +2\\.000 +1\\.100 +55\\.0 +3 +1 +33\\.3"
                          "incidents covered along the streets: 1 of 7 \\(14\\.3%\\); streets within reach: 1\\.400 of 4\\.000 km"
             STDERR_REGEX "4 incident\\(s\\) farther than --max-snap 300 m from every street \\(the first: .*squares_points.csv row 3, 400\\.0 m\\)"
                          "the street network has 2 separate parts")
add_cli_test(NAME coverage-streets-hand-incidents ARGS coverage -q ${NET_IN} --incident-output inc.csv --covered-area reach.csv --gaps gaps.csv
             OUTPUTS inc.csv reach.csv gaps.csv
             CHECK_CMD sh -c "grep -qx '2,1,street_post,800,0,0,2024/01/15 10:00:00,,0' inc.csv && grep -qx '4,1,street_post,300,1,1,2024/03/15 10:00:00,,0' inc.csv && grep -qx '3,,,,0,0,2024/02/15 10:00:00,,400' inc.csv && grep -qx '1,1,700,1000,300' reach.csv && grep -qx '1,1,1,700,1,1.42857142857143,1' gaps.csv && grep -qx '4,5,3,1000,0,0,3' gaps.csv")
add_cli_test(NAME coverage-streets-strict ARGS coverage ${NET_IN} --strict -o out.geojson EXPECT_RC 1
             STDERR_REGEX "squares_points.csv: row 3: the incident is 400\\.0 m from the nearest street of .*streets_cross.geojson, beyond --max-snap 300 m"
             NO_OUTPUTS out.geojson)
add_cli_test(NAME coverage-straight-hand ARGS coverage -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             --facilities @DATA@/street_post.geojson:600 STDOUT_REGEX "incidents covered: 3 of 7")
# The same network as an OpenStreetMap file (tests/data/streets_cross.osm, lon/lat): the
# residential main street and the footway are read, the motorway "bridge" and a fence are not
# (the highway filter): 3 km in one part, the same coverage as above.
add_cli_test(NAME coverage-streets-osm ARGS coverage -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
             --facilities @DATA@/street_post.geojson:600 --streets @DATA@/streets_cross.osm --max-snap 300 -v
             STDOUT_REGEX "incidents covered along the streets: 1 of 7 \\(14\\.3%\\); streets within reach: 1\\.400 of 3\\.000 km"
             STDERR_REGEX "streets_cross.osm \\(OSM ways with a highway tag, motorways and trunk roads left out\\): 2 features, 2 lines -> 5 nodes, 4 edges, 3\\.000 km")
# A patrol route (tests/data/street_route.geojson, radius 150, without the post) drawn along the main street from
# 200 m east of its west end (a vertex 10 m off the street) to the junction and 300 m down the side
# street: it occupies main [200, 1000] and side [200, 500] (1.1 km walked). Incidents 1 and 3 lie
# on it (0 m), incident 4 is 500 m from the junction. Streets within 150 m: main west [50, 1000],
# main east [0, 150], side [50, 650] = 1.7 km; West holds 0.95 + 0.6 km of it (the side street on
# the border counts in both), East 0.15 + 0.6 km.
set(NET_ROUTE_IN -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
    --streets @DATA@/streets_cross.geojson --max-snap 300)
add_cli_test(NAME coverage-streets-route ARGS coverage ${NET_ROUTE_IN} --facilities @DATA@/street_route.geojson:150 -v
             STDOUT_REGEX "West +3\\.000 +1\\.550 +51\\.7 +4 +2 +50\\.0" "East +2\\.000 +0\\.750 +37\\.5 +3 +1 +33\\.3"
                          "incidents covered along the streets: 2 of 7 \\(28\\.6%\\); streets within reach: 1\\.700 of 4\\.000 km"
             STDERR_REGEX "route 'street_route' feature 1 along the streets: 1\\.100 km walked, 1\\.100 km of street, 2 stretches")
add_cli_test(NAME coverage-streets-route-incidents ARGS coverage -q ${NET_ROUTE_IN} --facilities @DATA@/street_route.geojson:150
             --facilities @DATA@/street_post.geojson:600 --incident-output inc.csv OUTPUTS inc.csv
             CHECK_CMD sh -c "grep -qx '2,1,street_route,0,1,1,2024/01/15 10:00:00,,0' inc.csv && grep -qx '4,1,street_route,0,1,2,2024/03/15 10:00:00,,0' inc.csv && grep -qx '5,1,street_route,500,0,0,2024/03/16 10:00:00,,0' inc.csv")
# a multipoint facility occupies all its points: P (the post above) and Q, 200 m along the main
# street, radius 600: incident 1 is 300 m from Q, 3 300 m from P, 4 800 m from P; streets within
# reach: main west all (Q to 800, P from 700), main east and side south 300 m, side north 500 m
add_cli_test(NAME coverage-streets-multipoint ARGS coverage ${NET_ROUTE_IN} --facilities @DATA@/street_posts_multi.geojson:600
             STDOUT_REGEX "incidents covered along the streets: 2 of 7 \\(28\\.6%\\); streets within reach: 2\\.100 of 4\\.000 km"
             STDERR_REGEX "4 incident\\(s\\) farther than --max-snap 300 m")
# a route vertex beyond --max-snap, and a route whose vertices lie in separate parts of the network
add_cli_test(NAME coverage-streets-route-far ARGS coverage ${NET_ROUTE_IN} --facilities @DATA@/lines.geojson:100 EXPECT_RC 1
             STDERR_REGEX "facility 'lines' feature 1 vertex 1 is 500\\.0 m from the nearest street of .*streets_cross.geojson, beyond --max-snap 300 m")
add_cli_test(NAME coverage-streets-route-split ARGS coverage ${NET_ROUTE_IN} --facilities @DATA@/street_route_split.geojson:100 EXPECT_RC 1
             STDERR_REGEX "facility 'street_route_split' feature 1: vertices 1 and 2 lie in separate parts of the street network")
# the sample's street network (data-samples/kalemie/streets.geojson): the README's example
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/streets.geojson")
  set(K @SAMPLES@/kalemie)
  add_cli_test(NAME coverage-kalemie-streets ARGS coverage -q -i ${K}/incidents.csv -d ${K}/districts.geojson
               --facilities ${K}/facilities.geojson --facility-type type --radius station=800,post=500,lamp=40
               --streets ${K}/streets.geojson --max-snap 100
               STDOUT_REGEX "Tanganyika +89\\.196 +24\\.723 +27\\.7 +1296 +798 +61\\.6" "incidents covered along the streets: 1324 of 4948 \\(26\\.8%\\); streets within reach: 99\\.106 of 1729\\.957 km")
  # with the four patrol routes (radius 150) followed along the streets: every incident on the
  # network is covered or not, none off it is covered
  add_cli_test(NAME coverage-kalemie-streets-patrols ARGS coverage -v -i ${K}/incidents.csv -d ${K}/districts.geojson
               --facilities ${K}/facilities.geojson --facilities ${K}/patrols.geojson --facility-type type
               --radius station=800,post=500,lamp=40,patrol=150 --streets ${K}/streets.geojson --max-snap 100 --incident-output inc.csv
               OUTPUTS inc.csv
               STDERR_REGEX "route 'patrol' feature 3 along the streets: 10\\.165 km walked" "incidents on the streets: 4914 of 4948"
                            "incidents covered along the streets: 1654 of 4948; streets within reach 146\\.547 of 1729\\.957 km"
               CHECK_CMD sh -c "awk -F, 'NR > 1 && $9 <= 100 { on++ } NR > 1 && $9 <= 100 && $5 == 1 { c++ } NR > 1 && $9 <= 100 && $5 == 0 { u++ } NR > 1 && $9 > 100 && $5 == 1 { x++ } END { exit !(on == 4914 && c == 1654 && c + u == on && x == 0) }' inc.csv")
  add_cli_test(NAME density-kalemie-streets ARGS density -q -i ${K}/incidents.csv --streets ${K}/streets.geojson --max-snap 100
               --bandwidth 300 --lixel 25 -o d.gpkg OUTPUTS d.gpkg
               CHECK_CMD sh -c "ogrinfo -ro -so -al d.gpkg | grep -q 'Feature Count: [0-9]'")
endif()
# --public on the per-incident layer: masked points (donut 50-250 by default), no `incident` id,
# no exact `time` (hour and week instead), no nearest_m; the district layer's small counts suppressed
add_cli_test(NAME coverage-public ARGS coverage -q -v ${GM_IN} --public -o d.gpkg --incident-output m.gpkg
             STDERR_REGEX "geomask donut 50-250 m: 4948 incident point.*--min-count 5: "
             CHECK_CMD sh -c "ogrinfo -ro -so m.gpkg m > f.txt && ! grep -q '^incident:' f.txt && ! grep -q '^time:' f.txt && grep -q '^hour: Integer' f.txt && grep -q '^week: DateTime' f.txt && ogrinfo -ro -q m.gpkg -sql 'SELECT COUNT(nearest_m) AS n, MIN(hour) AS lo, MAX(hour) AS hi FROM m' | tr -d '\\n' | grep -q 'n (Integer) = 0.*lo (Integer) = 0.*hi (Integer) = 23' && ogrinfo -ro -q m.gpkg -sql \"SELECT COUNT(*) AS w FROM m WHERE strftime('%w', week) != '1' OR strftime('%H:%M:%S', week) != '00:00:00'\" | grep -q 'w (Integer) = 0' && ogrinfo -ro -q d.gpkg -sql 'SELECT COUNT(*) AS s FROM d WHERE covered_inc > 0 AND covered_inc < 5' | grep -q 's (Integer) = 0'")
