# SPDX-License-Identifier: MIT
# hotmap grid: counts on the two-squares fixture (square and hex), formats, styles, bad inputs.
add_command_basics(grid)
set(SQ -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
# 500 m cells over the districts' extent: 5 x 3 cells, 8 with their centre in a district;
# point 6 lies outside every kept cell. cell 8 = row 1, col 3 holds points 4 and 5.
add_cli_test(NAME grid-square-csv ARGS grid ${SQ} --cell 500 -o out.csv -v
             STDERR_REGEX "5 x 3 \\(extent from districts\\); 8 cells kept.*incidents in kept cells: 6; outside: 1"
             OUTPUTS out.csv
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx 'cell_id,row,col,count,weight,district' plain.csv && grep -qx '8,1,3,2,2,East' plain.csv && grep -qx '0,0,0,2,2,West' plain.csv && test $(wc -l < plain.csv) -eq 9")
add_cli_test(NAME grid-hex-geojson ARGS grid ${SQ} --cell 400 --shape hex -q -o out.geojson
             OUTPUTS out.geojson out.qml
             CHECK_CMD sh -c "ogrinfo -ro -al out.geojson | grep -q 'Geometry: Polygon' && ogrinfo -ro -al out.geojson | grep -c 'POLYGON ((' | grep -qv '^0$' && grep -q 'graduatedSymbol' out.qml")
add_cli_test(NAME grid-no-districts-category ARGS grid -i @DATA@/small_lonlat.csv --cell 1000 --category category -q -o out.gpkg
             OUTPUTS out.gpkg
             CHECK_CMD sh -c "ogrinfo -ro -al -so out.gpkg | grep -q 'c_theft: Integer'")
add_cli_test(NAME grid-shp ARGS grid ${SQ} --cell 500 -q -o out.shp OUTPUTS out.shp out.dbf out.prj out.qml)
add_cli_test(NAME grid-bad-cell ARGS grid ${SQ} --cell 0 -o out.csv EXPECT_RC 2 STDERR_REGEX "--cell must be positive" NO_OUTPUTS out.csv)
add_cli_test(NAME grid-bad-cell-text ARGS grid ${SQ} --cell abc -o out.csv EXPECT_RC 2 STDERR_REGEX "error: .*cell" NO_OUTPUTS out.csv)
add_cli_test(NAME grid-bad-shape ARGS grid ${SQ} --cell 100 --shape triangle -o out.csv EXPECT_RC 2
             STDERR_REGEX "--shape 'triangle': expected square or hex" NO_OUTPUTS out.csv)
add_cli_test(NAME grid-bad-extent ARGS grid ${SQ} --cell 100 --extent 1,2,3 -o out.csv EXPECT_RC 2
             STDERR_REGEX "--extent '1,2,3'" NO_OUTPUTS out.csv)
add_cli_test(NAME grid-existing-output ARGS grid ${SQ} --cell 500 -o out.csv SETUP_FILES out.csv EXPECT_RC 1
             STDERR_REGEX "out.csv: already exists \\(use --overwrite to replace it\\)"
             CHECK_CMD sh -c "test \"$(cat out.csv)\" = old")
# --min-count 5 (publication) on the sample's 500 m hexagons by category: 2,028 counts of 1 to 4
# suppressed with 6 complements (the districts' totals and the category totals taken as known);
# 564 of 644 cells flagged; the published counts are the unsuppressed ones only (4,128 of 4,852)
add_cli_test(NAME grid-min-count-sample ARGS grid -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson --cell 500
             --shape hex --min-count 5 -o g.gpkg
             STDERR_REGEX "--min-count 5: 2028 count\\(s\\) of 1 to 4 suppressed, 6 more so that none can be recovered from the totals; 564 feature\\(s\\) flagged"
             CHECK_CMD sh -c "ogrinfo -ro -q g.gpkg -sql 'SELECT COUNT(*) AS n, SUM(suppressed) AS s, SUM(count) AS c FROM g' | tr -d '\\n' | grep -q 'n (Integer) = 644.*s (Integer) = 564.*c (Integer) = 4128' && ogrinfo -ro -q g.gpkg -sql 'SELECT COUNT(*) AS z FROM g WHERE suppressed = 1 AND count IS NOT NULL AND c_theft IS NOT NULL AND c_assault IS NOT NULL AND c_burglary IS NOT NULL AND c_fraud IS NOT NULL AND c_robbery IS NOT NULL AND c_vandalism IS NOT NULL AND c_sexual_violence IS NOT NULL AND c_domestic_violence IS NOT NULL' | grep -q 'z (Integer) = 0'")
# --public --sensitive: the sensitive categories' incidents left out below district level (599
# filtered as sensitive_category, no c_ column for them), --min-count 5 by default
add_cli_test(NAME grid-public-sensitive ARGS grid -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson --cell 500
             --public --sensitive sexual_violence,domestic_violence -o g.gpkg
             STDERR_REGEX "--sensitive: 599 incident\\(s\\) of the sensitive categories left out.*filtered 599.*sensitive_category 599.*--min-count 5: "
             CHECK_CMD sh -c "! ogrinfo -ro -so g.gpkg g | grep -q 'c_sexual_violence' && ! ogrinfo -ro -so g.gpkg g | grep -q 'c_domestic_violence' && ogrinfo -ro -so g.gpkg g | grep -q 'c_theft' && ogrinfo -ro -al -q g.gpkg | grep -q 'without the sensitive categories sexual_violence, domestic_violence'")
add_cli_test(NAME grid-sensitive-categories-refused ARGS grid -q -i @SAMPLES@/kalemie/incidents.csv --cell 500 --sensitive sexual_violence,domestic_violence
             --categories sexual_violence -o g.gpkg EXPECT_RC 2
             STDERR_REGEX "--categories sexual_violence: the category is --sensitive, published at district level only" NO_OUTPUTS g.gpkg)
