# SPDX-License-Identifier: MIT
# hotmap districts: reference counts, every output format, bad inputs and atomic outputs.
add_command_basics(districts)
set(M @SHARED@/realdata/memphis_robberies_2019)
add_cli_test(NAME districts-memphis-table ARGS districts -i ${M}/incidents.csv -d ${M}/precincts_32616.geojson
             STDERR_REGEX "warning: 1 incident\\(s\\) lie outside every district"
             STDOUT_REGEX "Mt\\. Moriah +368" "Appling Farms +153" "Tillman +301" "outside every district: 1")
add_cli_test(NAME districts-memphis-lonlat-polygons ARGS districts -q -i ${M}/incidents.csv -d ${M}/precincts_4326.geojson
             STDOUT_REGEX "Crump +317" "North Main +189")
foreach(ext geojson shp gpkg fgb csv)
  add_cli_test(NAME districts-format-${ext}
               ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
                    --population population --period month -q -o out.${ext}
               OUTPUTS out.${ext}
               CHECK_CMD sh -c "ogrinfo -ro -al out.${ext} | grep -Eq 'incidents \\([A-Za-z0-9]+\\) = 4'")
endforeach()
add_cli_test(NAME districts-shp-sidecars ARGS districts -q -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson --population population -o out.shp -v
             STDERR_REGEX "wrote 2 features to out.shp \\(ESRI Shapefile\\)" OUTPUTS out.shp out.dbf out.shx out.prj out.cpg out.qml)
add_cli_test(NAME districts-no-polygons ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/lines.geojson -o out.geojson EXPECT_RC 1 STDERR_REGEX "lines.geojson: no polygons in layer" NO_OUTPUTS out.geojson)
add_cli_test(NAME districts-existing-output ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson -o out.geojson SETUP_FILES out.geojson EXPECT_RC 1
             STDERR_REGEX "out.geojson: already exists \\(use --overwrite to replace it\\)"
             CHECK_CMD sh -c "test \"$(cat out.geojson)\" = old")
add_cli_test(NAME districts-overwrite ARGS districts -q -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson -o out.geojson --overwrite SETUP_FILES out.geojson
             CHECK_CMD sh -c "grep -q FeatureCollection out.geojson")
add_cli_test(NAME districts-missing-folder ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson -o @OUT@/no/such/dir/out.geojson EXPECT_RC 1
             STDERR_REGEX "cannot write: folder '.*no/such/dir' does not exist")
add_cli_test(NAME districts-unwritable-folder ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson -o /proc/hotmap-out.geojson EXPECT_RC 1
             STDERR_REGEX "hotmap districts: error: /proc/hotmap-out.geojson: cannot create")
add_cli_test(NAME districts-bad-extension ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/two_squares.geojson -o out.xyz EXPECT_RC 2 STDERR_REGEX "unknown extension '.xyz'")
add_cli_test(NAME districts-invalid-polygon-repaired ARGS districts -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             -d @DATA@/invalid_bowtie.geojson STDERR_REGEX "warning: district 'Bowtie' \\(feature 1\\) was invalid"
             STDOUT_REGEX "Bowtie")
