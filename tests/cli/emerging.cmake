# SPDX-License-Identifier: MIT
# hotmap emerging: the Kalemie sample by month (pattern counts, the cube with date-times and
# temporal settings for QGIS), partial steps, fixed steps, districts, formats, and bad inputs.
add_command_basics(emerging)
set(K @SAMPLES@/kalemie)
set(EM_IN -i ${K}/incidents.csv -d ${K}/districts.geojson)
add_cli_test(NAME emerging-kalemie-month ARGS emerging ${EM_IN} --cell 250 --distance 750 -o em.gpkg --cube cube.gpkg -v -q
             STDERR_REGEX "cube: 2243 locations x 24 steps \\(2024-01 to 2025-12\\) = 53832 bins.*Persistent Hot Spot 84.*Consecutive Hot Spot 42"
             OUTPUTS em.gpkg cube.gpkg
             CHECK_CMD sh -c "ogrinfo -ro -so cube.gpkg cube | grep -q 'step_start: DateTime' && ogrinfo -ro -q cube.gpkg -sql \"SELECT step_start FROM cube WHERE step = 3 LIMIT 1\" | grep -q '2024/03/01 00:00:00' && ogrinfo -ro -q cube.gpkg -sql 'SELECT styleQML FROM layer_styles' | grep -q 'startField=\"step_start\"' && ogrinfo -ro -q em.gpkg -sql 'SELECT styleQML FROM layer_styles' | grep -q 'Intensifying Hot Spot' && ogrinfo -ro -q em.gpkg -sql 'SELECT COUNT(*) AS n FROM em WHERE CATEGORY = 4' | grep -q 'n (Integer) = 84'")
# the sample ends on 2025-12-31: with --to 2025-11-18 the last month is partial (17 of 30 days)
add_cli_test(NAME emerging-partial-last-step ARGS emerging ${EM_IN} --cell 500 --to 2025-11-18 -o e.csv
             STDERR_REGEX "warning: the last step, 2025-11, is partial: the data end 2025-11-18 00:00:00, 17 day\\(s\\) of its 30 day\\(s\\) \\(--drop-partial leaves it out\\)")
add_cli_test(NAME emerging-drop-partial ARGS emerging ${EM_IN} --cell 500 --to 2025-11-18 --drop-partial -o e.csv -v -q
             STDERR_REGEX "1 partial step\\(s\\) left out.*x 22 steps \\(2024-01 to 2025-10\\)")
add_cli_test(NAME emerging-fixed-steps ARGS emerging ${EM_IN} --cell 500 --step 8w -o e.csv -v -q
             STDERR_REGEX "x 14 steps \\(2024-01-01 to 2025-12-29\\)")
add_cli_test(NAME emerging-districts ARGS emerging ${EM_IN} --on districts --period quarter -o d.geojson -v -q
             STDERR_REGEX "cube: 16 locations x 8 steps \\(2024-Q1 to 2025-Q4\\).*queen contiguity"
             OUTPUTS d.geojson d.qml CHECK_CMD sh -c "ogrinfo -ro -al -q d.geojson | grep -c 'PATTERN (String)' | grep -qx 16 && python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_styles.py --labels LOCATION d.qml")
add_cli_test(NAME emerging-shapefile ARGS emerging -q ${EM_IN} --cell 500 -o e.shp OUTPUTS e.shp e.dbf e.prj e.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -q e.shp | grep -q 'MK_P (Real)'")
# bad inputs
add_cli_test(NAME emerging-needs-cell ARGS emerging ${EM_IN} -o e.gpkg EXPECT_RC 2 STDERR_REGEX "--on grid needs --cell METRES")
add_cli_test(NAME emerging-period-and-step ARGS emerging ${EM_IN} --cell 250 --period week --step 14d -o e.gpkg EXPECT_RC 2
             STDERR_REGEX "give --period or --step, not both")
add_cli_test(NAME emerging-bad-step ARGS emerging ${EM_IN} --cell 250 --step 14m -o e.gpkg EXPECT_RC 2
             STDERR_REGEX "--step '14m': expected a whole number of days, weeks or hours: 14d, 2w, 12h")
add_cli_test(NAME emerging-cube-not-gpkg ARGS emerging ${EM_IN} --cell 250 --cube c.geojson -o e.gpkg EXPECT_RC 2
             STDERR_REGEX "--cube 'c.geojson': expected a .gpkg path")
add_cli_test(NAME emerging-no-time ARGS emerging ${EM_IN} --cell 250 --time - -o e.gpkg EXPECT_RC 1
             STDERR_REGEX "no time column: emerging hot spots need a timestamp per incident" NO_OUTPUTS e.gpkg)
add_cli_test(NAME emerging-one-step ARGS emerging ${EM_IN} --cell 250 --period year --from 2024-01-01 --to 2025-01-01 -o e.gpkg
             EXPECT_RC 1 STDERR_REGEX "span 1 time step\\(s\\).*at least 2 are needed" NO_OUTPUTS e.gpkg)
add_cli_test(NAME emerging-on-districts-needs-districts ARGS emerging -i ${K}/incidents.csv --on districts -o e.gpkg EXPECT_RC 2
             STDERR_REGEX "--on districts needs --districts PATH")
# --min-count 5 (publication): the locations' counts (over all steps) of 1 to 4 suppressed; the
# cube (a count per location and step) cannot be published with it
add_cli_test(NAME emerging-min-count-sample ARGS emerging -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson
             --cell 250 --distance 750 --min-count 5 -o e.gpkg
             STDERR_REGEX "--min-count 5: 1197 count\\(s\\) of 1 to 4 suppressed, 0 more so that none can be recovered from the totals; 1197 feature\\(s\\) flagged"
             CHECK_CMD sh -c "ogrinfo -ro -q e.gpkg -sql 'SELECT COUNT(*) AS y FROM e WHERE count > 0 AND count < 5' | grep -q 'y (Integer) = 0' && ogrinfo -ro -q e.gpkg -sql 'SELECT COUNT(PATTERN) AS k FROM e' | grep -q 'k (Integer) = 2243'")
add_cli_test(NAME emerging-min-count-no-cube ARGS emerging -q -i @SAMPLES@/kalemie/incidents.csv --cell 250 --min-count 5 -o e.gpkg --cube c.gpkg
             EXPECT_RC 2 STDERR_REGEX "error: --min-count with --cube: the cube holds a count per location and step; publish the locations layer only"
             NO_OUTPUTS e.gpkg c.gpkg)
