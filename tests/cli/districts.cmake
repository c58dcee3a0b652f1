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
# --by hour-of-week,month on tests/data/week_times.csv (times worked out in
# tests/unit/districts/time_profile_test.cpp): West has Monday 00h twice, Sunday 23h and the
# boundary incident on Saturday 12h; East Wednesday 14h, Saturday 08h and the boundary one; one
# incident without a time (a warning), one outside both squares (in no total)
set(WEEK -i @DATA@/week_times.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
add_cli_test(NAME districts-by-hour-of-week ARGS districts ${WEEK} --by hour-of-week,month -o out.csv
             STDERR_REGEX "warning: 1 incident\\(s\\) have no time: they are counted in no hour-of-week or month column"
             OUTPUTS out.csv
             CHECK_CMD python3 -c "import csv\nr = list(csv.DictReader(open('out.csv')))\nw, e = r\nassert w['district'] == 'West' and e['district'] == 'East'\nh = [k for k in w if k.startswith('h_')]\nassert len(h) == 168 and h[0] == 'h_mon_00' and h[24] == 'h_tue_00' and h[-1] == 'h_sun_23', h\nm = [k for k in w if k.startswith('m_')]\nassert m == ['m_%02d' % i for i in range(1, 13)], m\nassert (w['h_mon_00'], w['h_sun_23'], w['h_sat_12']) == ('2', '1', '1'), w\nassert sum(int(w[k]) for k in h) == 4\nassert (e['h_wed_14'], e['h_sat_08'], e['h_sat_12']) == ('1', '1', '1'), e\nassert sum(int(e[k]) for k in h) == 3\nassert [w[k] for k in m] == ['3', '0', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0'], w\nassert [e[k] for k in m] == ['0', '0', '2', '0', '0', '1', '0', '0', '0', '0', '0', '0'], e\nassert e['incidents'] == '4'\n")
# without -o: the district table, then the totals (each incident in a district once) as heat tables
# (CMake regular expressions have no {n}: the runs of zero-count hours are spelled out)
foreach(n 3 6 7 8 11 14 23)
  string(REPEAT " +0" ${n} z${n})
endforeach()
add_cli_test(NAME districts-by-table ARGS districts -q ${WEEK} --by hour-of-week,month
             STDOUT_REGEX "outside every district: 1" "hour of week \\(incidents in a district, each once\\):"
                          "\nmon +2${z23} +2\n" "\nwed${z14} +1${z8} +0 +1\n" "\nsat${z8} +1${z3} +1${z11} +2\n"
                          "\nsun${z23} +1 +1\n" "\ntotal +2${z7} +1${z3} +1 +0 +1${z8} +1 +6\n"
                          "\ncount +3 +0 +2 +0 +0 +1${z6} +6\n")
add_cli_test(NAME districts-by-bad ARGS districts ${WEEK} --by weekday -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --by 'weekday': expected hour-of-week, month or hour-of-week,month" NO_OUTPUTS out.csv)
add_cli_test(NAME districts-by-needs-time ARGS districts ${WEEK} --time - --by month -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --by month needs a time column" NO_OUTPUTS out.csv)
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/incidents.csv")
  set(cmd "")
  foreach(t 1 2 7)
    string(APPEND cmd "HOTMAP_CHUNK_CAP=64 \"$HOTMAP\" districts -q -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson --by hour-of-week,month --period quarter --threads ${t} -o t${t}.csv && ")
  endforeach()
  add_cli_test(NAME threads-districts-by ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c "${cmd}cmp t1.csv t2.csv && cmp t1.csv t7.csv")
endif()
# --min-count 5 (publication): West and East have 4 incidents each: both suppressed (null), the
# rate and share with them, `suppressed` = 1; on the sample 100 small monthly/category counts are
# suppressed and 5 more so that none can be recovered from the totals; no district total is small,
# so all 16 keep theirs (4,940 incidents in districts)
add_cli_test(NAME districts-min-count ARGS districts -q -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson
             --min-count 5 -o d.csv
             CHECK_CMD sh -c "grep -qx 'district,incidents,area_km2,per_km2,population,per_1k_pop,share_pct,rank,suppressed' d.csv && grep -qx 'West,,1,,,,,,1' d.csv && grep -qx 'East,,1,,,,,,1' d.csv")
add_cli_test(NAME districts-min-count-sample ARGS districts -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson --period month
             --min-count 5 -o d.gpkg
             STDERR_REGEX "--min-count 5: 100 count\\(s\\) of 1 to 4 suppressed, 5 more so that none can be recovered from the totals; 11 feature\\(s\\) flagged"
             CHECK_CMD sh -c "ogrinfo -ro -q d.gpkg -sql 'SELECT COUNT(*) AS n FROM d WHERE suppressed = 1' | grep -q 'n (Integer) = 11' && ogrinfo -ro -q d.gpkg -sql 'SELECT SUM(incidents) AS s FROM d' | grep -q 's (Integer) = 4940'")
