# SPDX-License-Identifier: MIT
# hotmap site: hand-checked siting on the two squares (existing post and lamps, candidate
# layer and grid, spacing, capacity, coverage target, exact), every output, the Kalemie sample
# and the Chicago supermarkets, and bad inputs (clear error, right exit code, no partial output).
#
# The squares (EPSG:32735): incidents 1 (500500,9340500), 2 (500100,9340100), 3 (501000,9340500),
# 4 (501500,9340500), 5 (501999,9340999), 6 (503000,9340500, outside both squares), 7 (500000,9340000).
# Existing: post P1 at incident 1 (500 m) reaches 1 and 3 (exactly 500 m); lamp L1 (40 m) reaches 4:
# 3 of 7 covered. Candidates (site_candidates.csv): C1 at 2 (reaches 2 and 7, 141 m), C2 12.7 m
# from 5, C3 at 6 (outside the squares: left out), C4 at 7 (reaches 7 and 2).
add_command_basics(site)
set(SITE_IN -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
            --facilities @DATA@/coverage_posts.geojson --facility-type type --radius post=500,lamp=40)
set(SITE_C --candidates @DATA@/site_candidates.csv --candidates-crs EPSG:32735)
# C1 first (gain 2; ties with C4 go to the lower index), then C2 (gain 1): 6 of 7 covered
add_cli_test(NAME site-two-posts-table ARGS site ${SITE_IN} ${SITE_C} --site-type post --add 2
             STDERR_REGEX "1 candidate site\\(s\\) lie outside every district"
             STDOUT_REGEX "   1 +2\\.00 +5\\.00 +71\\.4 West +27\\.000904 +-5\\.970106"
                          "   2 +1\\.00 +6\\.00 +85\\.7 East +27\\.017980 +-5\\.962054"
                          "covered weight 6\\.00 of 7\\.00 \\(existing facilities alone 3\\.00\\); upper bound 6\\.00")
add_cli_test(NAME site-layers ARGS site -q ${SITE_IN} ${SITE_C} --site-type post --add 2 -o sites.gpkg --curve curve.csv
             --district-output districts.geojson
             OUTPUTS sites.gpkg curve.csv districts.geojson districts.qml
             CHECK_CMD sh -c "grep -qx 'k,gain,covered,covered_pct' curve.csv && grep -qx '1,2,5,71.4285714285714' curve.csv && grep -qx '2,1,6,85.7142857142857' curve.csv && ogrinfo -ro -al -q sites.gpkg | grep -q 'source (String) = site_candidates.csv:2' && ogrinfo -ro -al -q sites.gpkg | grep -q 'hotmap site --objective mclp: 2 new site' && ogrinfo -ro -q sites.gpkg -sql 'SELECT COUNT(*) AS n FROM layer_styles' | grep -q 'n (Integer) = 1' && ogrinfo -ro -al -q districts.geojson | grep -q 'covered_after (Real) = 4' && ogrinfo -ro -al -q districts.geojson | grep -q 'pct_before (Real) = 50' && grep -q '% of incident weight covered with the new sites' districts.qml")
foreach(ext geojson shp gpkg fgb csv)
  add_cli_test(NAME site-format-${ext} ARGS site -q ${SITE_IN} ${SITE_C} --site-type post --add 1 -o out.${ext}
               OUTPUTS out.${ext}
               CHECK_CMD sh -c "ogrinfo -ro -al out.${ext} | grep -Eq 'covered_pc.* = 71.428571428571'")
endforeach()
# --min-spacing 600 keeps new sites 600 m from existing ones: C1 (566 m from P1) may not open, C4 (707 m) may
add_cli_test(NAME site-min-spacing-from-existing ARGS site ${SITE_IN} ${SITE_C} --site-type post --add 1 --min-spacing 600 -v
             STDERR_REGEX "1 candidate site\\(s\\) closer than --min-spacing 600 m to an existing facility are left out"
             STDOUT_REGEX "   1 +2\\.00 +5\\.00 +71\\.4 West +27\\.000000 +-5\\.971010")
# a capacity of 1 lets C1 serve one of its two incidents
add_cli_test(NAME site-capacity ARGS site -q ${SITE_IN} ${SITE_C} --site-type post --add 1 --capacity 1
             STDOUT_REGEX "covered weight 4\\.00 of 7\\.00")
add_cli_test(NAME site-lscp ARGS site -q ${SITE_IN} ${SITE_C} --site-type post --objective lscp --target-coverage 80
             STDOUT_REGEX "target 80% reached with 2 site\\(s\\)")
add_cli_test(NAME site-exact ARGS site ${SITE_IN} ${SITE_C} --site-type post --add 2 --exact -v
             STDERR_REGEX "upper bound 6\\.00 \\(exact optimum\\), gap 0%; proved optimal" STDOUT_REGEX "covered weight 6\\.00")
add_cli_test(NAME site-pmedian ARGS site -q ${SITE_IN} ${SITE_C} --objective pmedian --add 1 -o pm.csv
             CHECK_CMD sh -c "head -1 pm.csv | grep -qx 'rank,gain,covered,covered_pct,mean_m,district,lon,lat,x,y,source'")
# the candidate grid: 500 m cells over the two squares, 8 centres inside
add_cli_test(NAME site-candidate-grid ARGS site ${SITE_IN} --site-type post --add 2 --candidate-spacing 500 -v
             STDERR_REGEX "candidate grid: 500 m spacing, 8 sites inside the districts" STDOUT_REGEX "covered weight 6\\.00 of 7\\.00")
# the README's job on the Kalemie sample: 10 more lamps for the night incidents, given the 50 lamps and the posts
set(K @SAMPLES@/kalemie)
set(K_FAC --facilities ${K}/facilities.geojson --facilities ${K}/patrols.geojson --facility-type type
          --radius station=800,post=500,lamp=40,patrol=150)
add_cli_test(NAME site-kalemie-night-lamps ARGS site -q -i ${K}/incidents.csv -d ${K}/districts.geojson ${K_FAC} --hours 18-6
             --site-type lamp --add 10 --candidate-spacing 25 --min-spacing 30 -o lamps.geojson --curve curve.csv
             OUTPUTS lamps.geojson lamps.qml curve.csv
             CHECK_CMD sh -c "test $(grep -c . curve.csv) -eq 11 && ogrinfo -ro -al -q lamps.geojson | grep -c 'rank (Integer' | grep -qx 10")
# GLPK's time limit is not an error: the best solution and bound so far are reported
add_cli_test(NAME site-exact-time-limit ARGS site -i ${K}/incidents.csv -d ${K}/districts.geojson ${K_FAC} --hours 18-6 -q
             --site-type lamp --add 10 --candidate-spacing 25 --exact --time-limit 0.01
             STDOUT_REGEX "GLPK time limit reached: best solution and bound found so far")
set(C @SHARED@/realdata/chicago_abandoned_vehicles_2016)
add_cli_test(NAME site-chicago-supermarkets ARGS site -q -i ${C}/incidents.csv -d ${C}/community_areas_32616.geojson
             --candidates ${C}/supermarkets.csv --radius 1000 --add 10 --exact
             STDOUT_REGEX "covered weight 420\\.00 of 2635\\.00" "proved optimal")
# bad inputs
add_cli_test(NAME site-no-candidates ARGS site ${SITE_IN} --site-type post --add 1 EXPECT_RC 2
             STDERR_REGEX "no candidate sites: give --candidate-spacing METRES")
add_cli_test(NAME site-k-above-candidates ARGS site ${SITE_IN} ${SITE_C} --site-type post --add 9 -o s.geojson EXPECT_RC 2
             STDERR_REGEX "--add 9: only 3 candidate sites can open" NO_OUTPUTS s.geojson)
add_cli_test(NAME site-which-radius ARGS site ${SITE_IN} ${SITE_C} --add 1 EXPECT_RC 2
             STDERR_REGEX "which --radius rule is the new sites'\\? give --site-type TYPE or a bare --radius METRES")
add_cli_test(NAME site-zero-radius ARGS site -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 ${SITE_C} --radius 0 --add 1
             EXPECT_RC 2 STDERR_REGEX "--radius '0': radius '0' is not a positive number of metres")
add_cli_test(NAME site-candidates-outside ARGS site ${SITE_IN} --site-type post --add 1 -o s.geojson
             --candidates @DATA@/site_outside.csv --candidates-crs EPSG:32735 EXPECT_RC 1
             STDERR_REGEX "error: no candidate site inside the study area" NO_OUTPUTS s.geojson)
add_cli_test(NAME site-candidates-polygons ARGS site ${SITE_IN} --site-type post --add 1 --candidates @DATA@/two_squares.geojson
             EXPECT_RC 1 STDERR_REGEX "two_squares.geojson: feature 1: a Polygon; candidate sites must be points")
add_cli_test(NAME site-candidates-without-crs ARGS site ${SITE_IN} --site-type post --add 1 --candidates @DATA@/site_candidates.csv
             EXPECT_RC 1 STDERR_REGEX "site_candidates.csv: the coordinate columns 'x'/'y' are not named lon/lat and no CRS is known: give --candidates-crs")
add_cli_test(NAME site-target-unreachable ARGS site ${SITE_IN} ${SITE_C} --site-type post --objective lscp --target-coverage 100
             -o s.geojson EXPECT_RC 1 STDERR_REGEX "--target-coverage 100%: the best reachable is 85\\.71% \\(with 2 new sites\\)"
             NO_OUTPUTS s.geojson)
add_cli_test(NAME site-lscp-needs-target ARGS site ${SITE_IN} ${SITE_C} --site-type post --objective lscp EXPECT_RC 2
             STDERR_REGEX "--objective lscp needs --target-coverage PCT")
add_cli_test(NAME site-capacity-only-mclp ARGS site ${SITE_IN} ${SITE_C} --objective pmedian --add 1 --capacity 5 EXPECT_RC 2
             STDERR_REGEX "--capacity applies to --objective mclp only")
add_cli_test(NAME site-per-district-needs-districts ARGS site -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 ${SITE_C}
             --radius 100 --add 1 --max-per-district 1 EXPECT_RC 2 STDERR_REGEX "--max-per-district needs --districts")
add_cli_test(NAME site-bad-demand-cell ARGS site ${SITE_IN} ${SITE_C} --site-type post --add 1 --demand-cell fine EXPECT_RC 2
             STDERR_REGEX "--demand-cell")
# Along the streets (tests/data/streets_cross.geojson, see coverage.cmake; radius 600 m, incidents
# 1, 3, 4 on the main street, the others beyond --max-snap 300): candidates at the junctions and
# mid-way along each street. The junction (501000, 9340500) reaches all three (500, 0, 500 m of
# walking); mid-way along the west half reaches only two (0 and 500 m): one new site covers 3 of 7.
set(NETS -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 --streets @DATA@/streets_cross.geojson --max-snap 300
    --candidate-spacing 500 --radius 600)
add_cli_test(NAME site-streets-hand ARGS site -q ${NETS} --add 1 -o sites.csv OUTPUTS sites.csv
             CHECK_CMD sh -c "grep -Eq '^1,3,3,42\\.857[0-9]*,,[-0-9.]+,[-0-9.]+,501000,9340500,' sites.csv")
# with the post 300 m north of the junction (radius 600) incident 3 is covered already: the
# junction still gains the other two
add_cli_test(NAME site-streets-existing ARGS site -q ${NETS} --facilities @DATA@/street_post.geojson:600 --add 1 -o sites.csv
             OUTPUTS sites.csv CHECK_CMD sh -c "grep -Eq '^1,2,3,42\\.857[0-9]*,,[-0-9.]+,[-0-9.]+,501000,9340500,' sites.csv")
# the p-median along the streets: the junction is 500, 0 and 500 m from the three incidents on
# the main street (mean 333.3 m); with the post 300 m up the side street (800, 300 and 800 m of
# walking before) it saves 900 m
add_cli_test(NAME site-streets-pmedian ARGS site -q ${NETS} --objective pmedian --add 1 -o pm.csv OUTPUTS pm.csv
             CHECK_CMD sh -c "grep -Eq '^1,,3,42\\.857[0-9]*,333\\.333[0-9]*,,[-0-9.]+,[-0-9.]+,501000,9340500,streets$' pm.csv")
add_cli_test(NAME site-streets-pmedian-existing ARGS site -q ${NETS} --objective pmedian --add 1
             --facilities @DATA@/street_post.geojson:600 -o pm.csv OUTPUTS pm.csv
             CHECK_CMD sh -c "grep -Eq '^1,900,3,42\\.857[0-9]*,333\\.333[0-9]*,,[-0-9.]+,[-0-9.]+,501000,9340500,' pm.csv")
# --min-spacing by walking: with 300 m sites each candidate on the main street reaches one
# incident; 600 m apart along the streets only the two mid-points (1000 m apart) can open
# together, not the junction beside either (500 m). The post 300 m up the side street (radius
# 100: it reaches no incident) is 583 m from both mid-points as the crow flies but 800 m on
# foot, so it does not keep them out.
set(NETS_SPACED -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 --streets @DATA@/streets_cross.geojson --max-snap 300
    --candidate-spacing 500 --radius 300 --add 2 --min-spacing 600)
add_cli_test(NAME site-streets-min-spacing ARGS site -q ${NETS_SPACED} -o s.csv OUTPUTS s.csv
             CHECK_CMD sh -c "grep -Eq '^1,1,1,.*,500500,9340500,' s.csv && grep -Eq '^2,1,2,.*,501500,9340500,' s.csv")
add_cli_test(NAME site-streets-min-spacing-walk ARGS site -q ${NETS_SPACED} --facilities @DATA@/street_post.geojson:100 -o s.csv
             OUTPUTS s.csv CHECK_CMD sh -c "grep -Eq '^1,1,1,.*,500500,9340500,' s.csv && grep -Eq '^2,1,2,.*,501500,9340500,' s.csv")
# an existing patrol route (street_route.geojson, radius 150) covers incidents 1 and 3 on it: one
# new site gains incident 4
add_cli_test(NAME site-streets-existing-route ARGS site -q ${NETS} --facilities @DATA@/street_route.geojson:150 --add 1 -o sites.csv
             OUTPUTS sites.csv CHECK_CMD sh -c "grep -Eq '^1,1,3,42\\.857[0-9]*,' sites.csv")
