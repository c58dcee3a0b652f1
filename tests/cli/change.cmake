# SPDX-License-Identifier: MIT
# hotmap change: hand-made cells and districts with p-values worked out by hand, FDR on and off,
# styles, every check of an independent recomputation (check_change.py), bad inputs (clear
# error, right exit code, no partial output), and the San Francisco data.
#
# tests/data/change_cells.csv on the 250 m cells of two_squares.geojson (8 x 4 cells kept of a
# 9 x 5 grid: ids row*9 + col): January 2024 vs February 2024, cell 0 goes 1 -> 9, cell 7
# 9 -> 1, cells 1..6 k -> k (k = 1..6): 31 and 31 incidents, p0 = 1/2. Cells 0 and 7: 9 of 10 against 1/2,
# p = (1 + 10 + 10 + 1) / 1024 = 0.021484375 (bin +-2 plain; with FDR over the 8 cells with
# incidents 0.0215 > 2/8 * 0.05, so +-1); cells 1..6: p = 1. Plus one incident in May (in
# neither window) and one without a time (a warning).
add_command_basics(change)
set(CH_IN -i @DATA@/change_cells.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
set(CH_WIN --before 2024-01-01,2024-02-01 --after 2024-02-01,2024-03-01)
set(CH_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_change.py)
add_cli_test(NAME change-grid-fdr ARGS change ${CH_IN} ${CH_WIN} --cell 250 -o out.csv -v
             STDERR_REGEX "warning: 1 incident\\(s\\) have no time: they are in neither window.*32 cells kept.*N_before = 31, N_after = 31, overall split p0 = N_after/\\(N_before\\+N_after\\) = 0\\.5; change_bin counts \\(-3\\.\\.3\\): 0 0 1 30 1 0 0 \\(FDR\\); similarity index S = 1 \\(8 of 8 units"
             OUTPUTS out.csv
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx 'cell_id,row,col,district,n_before,n_after,diff,ratio,p_change,change_bin' plain.csv && grep -qx '0,0,0,West,1,9,8,9,0.021484375,1' plain.csv && grep -Eqx '7,0,7,East,9,1,-8,0\\.1111111111[0-9]*,0\\.021484375,-1' plain.csv && grep -qx '3,0,3,West,3,3,0,1,1,0' plain.csv && grep -qx '9,1,0,West,0,0,0,,,0' plain.csv && test $(wc -l < plain.csv) -eq 33 && python3 ${CH_CHECK} plain.csv --similarity 1")
add_cli_test(NAME change-grid-no-fdr ARGS change -q ${CH_IN} ${CH_WIN} --cell 250 --no-fdr -o out.csv -v
             STDERR_REGEX "change_bin counts \\(-3\\.\\.3\\): 0 1 0 30 0 1 0 \\(no FDR\\); similarity index S = 0\\.75 \\(6 of 8 units"
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx '0,0,0,West,1,9,8,9,0.021484375,2' plain.csv && grep -Eqx '7,0,7,East,9,1,-8,0\\.1111111111[0-9]*,0\\.021484375,-2' plain.csv && python3 ${CH_CHECK} plain.csv --no-fdr --similarity 0.75")
# districts: West = cells 0..3 (7 -> 15), East = cells 4..7 (24 -> 16); West: 15 of 22 against 1/2,
# p = 2 * (C(22,0) + ... + C(22,7)) / 2^22 = 561200 / 4194304 = 0.1338005065917969
add_cli_test(NAME change-districts ARGS change -q ${CH_IN} ${CH_WIN} --on districts -o out.geojson
             OUTPUTS out.geojson out.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -q out.geojson | grep -q 'p_change (Real) = 0.1338005065917' && ogr2ogr -f CSV plain.csv out.geojson && python3 ${CH_CHECK} plain.csv && grep -q 'Significant increase, 99% confidence' out.qml && grep -q 'No significant change' out.qml && grep -q 'Significant decrease, 90% confidence' out.qml && grep -q 'change_bin' out.qml")
add_cli_test(NAME change-hex ARGS change -q ${CH_IN} ${CH_WIN} --cell 300 --shape hex -o out.gpkg
             OUTPUTS out.gpkg
             CHECK_CMD sh -c "ogr2ogr -f CSV plain.csv out.gpkg && python3 ${CH_CHECK} plain.csv && ogrinfo -ro -q out.gpkg -sql 'SELECT COUNT(*) AS n FROM layer_styles' | grep -q 'n (Integer) = 1' && ogrinfo -ro -al -q out.gpkg | grep -q 'hotmap change --before \\[2024-01-01 00:00:00, 2024-02-01 00:00:00)'")
# Shapefile: null p (cells without incidents) is written as 1, as Gi* p
add_cli_test(NAME change-shapefile ARGS change -q ${CH_IN} ${CH_WIN} --cell 250 -o out.shp
             OUTPUTS out.shp out.dbf out.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -q out.shp -where 'cell_id = 9' | grep -q 'p_change (Real) = 1'")
# bad inputs: exit 2 for options, exit 1 for data; never a partial output
add_cli_test(NAME change-overlap ARGS change ${CH_IN} --before 2024-01-01,2024-02-15 --after 2024-02-01,2024-03-01 --cell 250 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "error: --before 2024-01-01,2024-02-15 and --after 2024-02-01,2024-03-01 overlap" NO_OUTPUTS out.csv)
add_cli_test(NAME change-missing-after ARGS change ${CH_IN} --before 2024-01-01,2024-02-01 --cell 250 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "error: .*'--after' is required" NO_OUTPUTS out.csv)
add_cli_test(NAME change-bad-window ARGS change ${CH_IN} --before 2024-01-01 --after 2024-02-01,2024-03-01 --cell 250 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "error: --before '2024-01-01': expected FROM,TO" NO_OUTPUTS out.csv)
add_cli_test(NAME change-reversed-window ARGS change ${CH_IN} --before 2024-02-01,2024-01-01 --after 2024-02-01,2024-03-01 --cell 250 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "error: --before '2024-02-01,2024-01-01': TO must be after FROM" NO_OUTPUTS out.csv)
add_cli_test(NAME change-empty-window ARGS change ${CH_IN} --before 2023-01-01,2023-02-01 --after 2024-02-01,2024-03-01 --cell 250 -o out.csv
             EXPECT_RC 1 STDERR_REGEX "error: --before \\[2023-01-01 00:00:00, 2023-02-01 00:00:00\\): no incident in this window \\(the incidents' times run from 2024-01-10 08:00:00 to 2024-05-01 12:00:00\\)"
             NO_OUTPUTS out.csv)
add_cli_test(NAME change-needs-cell ARGS change ${CH_IN} ${CH_WIN} -o out.csv EXPECT_RC 2 STDERR_REGEX "--on grid needs --cell" NO_OUTPUTS out.csv)
add_cli_test(NAME change-districts-needs-polygons ARGS change -i @DATA@/change_cells.csv --incidents-crs EPSG:32735 ${CH_WIN} --on districts -o out.csv
             EXPECT_RC 2 STDERR_REGEX "--on districts needs --districts" NO_OUTPUTS out.csv)
add_cli_test(NAME change-no-time-column ARGS change ${CH_IN} ${CH_WIN} --time - --cell 250 -o out.csv
             EXPECT_RC 2 STDERR_REGEX "change needs a time column" NO_OUTPUTS out.csv)
# San Francisco 2012: July-September against October-December, 250 m cells inside the
# neighbourhoods; every cell's p and bin recomputed independently
set(SF @SHARED@/realdata/sf_crime_2012)
add_cli_test(NAME change-sf-grid ARGS change -i ${SF}/incidents.csv -d ${SF}/analysis_neighborhoods_32610.geojson
             --before 2012-07-01,2012-10-01 --after 2012-10-01,2013-01-01 --cell 250 -o out.csv -v
             STDERR_REGEX "windows: before \\[2012-07-01 00:00:00, 2012-10-01 00:00:00\\): 6700 incident\\(s\\); after \\[2012-10-01 00:00:00, 2013-01-01 00:00:00\\): 6772 incident\\(s\\); in neither: 0"
             CHECK_CMD sh -c "test $(grep -c '\"2012-0[789]-' ${SF}/incidents.csv) -eq 6700 && test $(grep -c '\"2012-1[012]-' ${SF}/incidents.csv) -eq 6772 && tr -d '\\042' < out.csv > plain.csv && python3 ${CH_CHECK} plain.csv")
add_cli_test(NAME change-sf-districts ARGS change -q -i ${SF}/incidents.csv -d ${SF}/analysis_neighborhoods_32610.geojson --district-name nhood
             --before 2012-07-01,2012-10-01 --after 2012-10-01,2013-01-01 --on districts -o out.csv
             CHECK_CMD sh -c "test $(wc -l < out.csv) -eq 42")
# identical bytes for 1, 2 and 7 threads, with the parallel loops cut into chunks of at most 64
# items so that the small sample really runs on several threads
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/incidents.csv")
  set(K @SAMPLES@/kalemie)
  set(cmd "")
  foreach(t 1 2 7)
    string(APPEND cmd "HOTMAP_CHUNK_CAP=64 \"$HOTMAP\" change -q -i ${K}/incidents.csv -d ${K}/districts.geojson --before 2024-01-01,2024-07-01 --after 2025-01-01,2025-07-01 --cell 250 --threads ${t} -o t${t}.csv && ")
    string(APPEND cmd "HOTMAP_CHUNK_CAP=64 \"$HOTMAP\" change -q -i ${K}/incidents.csv -d ${K}/districts.geojson --before 2024-01-01,2025-01-01 --after 2025-01-01,2026-01-01 --on districts --threads ${t} -o d${t}.csv && ")
  endforeach()
  add_cli_test(NAME threads-change ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "${cmd}cmp t1.csv t2.csv && cmp t1.csv t7.csv && cmp d1.csv d2.csv && cmp d1.csv d7.csv")
endif()
# --min-count 5 (publication) on the sample's 250 m cells: 1,157 window counts of 1 to 4
# suppressed; each window's map total is known, and so is a cell's total over both windows when it
# is 5 or more (two periods against their sum): 17 complements; diff, ratio, p_change and
# change_bin of the 931 flagged cells null
add_cli_test(NAME change-min-count-sample ARGS change -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson
             --before 2024-07-01,2025-01-01 --after 2025-07-01,2026-01-01 --cell 250 --min-count 5 -o c.gpkg
             STDERR_REGEX "--min-count 5: 1157 count\\(s\\) of 1 to 4 suppressed, 17 more so that none can be recovered from the totals; 931 feature\\(s\\) flagged"
             CHECK_CMD sh -c "ogrinfo -ro -q c.gpkg -sql 'SELECT COUNT(*) AS z FROM c WHERE suppressed = 1 AND (diff IS NOT NULL OR ratio IS NOT NULL OR change_bin IS NOT NULL OR p_change IS NOT NULL)' | grep -q 'z (Integer) = 0' && ogrinfo -ro -q c.gpkg -sql 'SELECT COUNT(*) AS y FROM c WHERE (n_before > 0 AND n_before < 5) OR (n_after > 0 AND n_after < 5)' | grep -q 'y (Integer) = 0'")
