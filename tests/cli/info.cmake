# SPDX-License-Identifier: MIT
# hotmap info: accounting table, JSON, and every bad-input case of the foundation issue.
add_command_basics(info)
add_cli_test(NAME info-small ARGS info -i @DATA@/small_lonlat.csv
             STDOUT_REGEX "rows read +5" "accepted +4?5" "working CRS +EPSG:32735" "theft +3")
add_cli_test(NAME info-positional ARGS info @DATA@/small_lonlat.csv STDOUT_REGEX "rows read +5")
add_cli_test(NAME info-json ARGS info -i @DATA@/small_lonlat.csv --json
             STDOUT_REGEX "\"read\": 5" "\"working_crs\": \"EPSG:32735\"")
add_cli_test(NAME info-dirty ARGS info -i @DATA@/dirty.csv --rejects rej.csv
             STDERR_REGEX "warning: 6 of 8 rows rejected"
             STDOUT_REGEX "rejected +6" "swapped_lat_lon +1" "unparseable_number +1" "out_of_range_coordinate +1"
                          "null_island +1" "missing_coordinate +1" "unparseable_time +1"
             OUTPUTS rej.csv
             CHECK_CMD sh -c "grep -c . rej.csv | grep -qx 7 && grep -q '^3,swapped_lat_lon,' rej.csv")
add_cli_test(NAME info-verbose-accounting ARGS info -v -i @DATA@/dirty.csv
             STDERR_REGEX "rows read 8 = accepted 2 \\+ filtered 0 \\+ rejected 6")
add_cli_test(NAME info-strict ARGS info --strict -i @DATA@/dirty.csv EXPECT_RC 1
             STDERR_REGEX "^hotmap info: error: .*dirty.csv: line 4, column 'lon/lat': rejected \\(missing_coordinate\\)")
add_cli_test(NAME info-night-filter ARGS info -i @DATA@/small_lonlat.csv --hours 18-6 --json
             STDOUT_REGEX "\"accepted\": 3" "\"hours\": 1" "\"no_time_for_time_filter\": 1")
add_cli_test(NAME info-missing-file ARGS info -i @DATA@/nope.csv EXPECT_RC 1
             STDERR_REGEX "^hotmap info: error: .*nope.csv: cannot open: no such file\n$")
add_cli_test(NAME info-not-a-table ARGS info -i @DATA@/binary.csv EXPECT_RC 1 STDERR_REGEX "binary.csv: not a text table")
add_cli_test(NAME info-no-coordinates ARGS info -i @DATA@/no_coords.csv EXPECT_RC 1
             STDERR_REGEX "no_coords.csv: no coordinate columns found")
add_cli_test(NAME info-empty-file ARGS info -i @DATA@/empty.csv EXPECT_RC 1 STDERR_REGEX "empty.csv: the file is empty")
add_cli_test(NAME info-header-only ARGS info -i @DATA@/header_only.csv EXPECT_RC 1 STDERR_REGEX "header_only.csv: no data rows")
add_cli_test(NAME info-unknown-crs ARGS info -i @DATA@/xy_nocrs.csv --incidents-crs EPSG:999999 EXPECT_RC 1
             STDERR_REGEX "unknown CRS 'EPSG:999999'")
add_cli_test(NAME info-xy-without-crs ARGS info -i @DATA@/xy_nocrs.csv EXPECT_RC 1 STDERR_REGEX "give --incidents-crs")
add_cli_test(NAME info-bad-hours ARGS info -i @DATA@/small_lonlat.csv --hours 25-3 EXPECT_RC 2 STDERR_REGEX "--hours '25-3'")
add_cli_test(NAME info-memphis ARGS info -i @SHARED@/realdata/memphis_robberies_2019/incidents.csv
             STDOUT_REGEX "rows read +2245" "working CRS +EPSG:32616" "2019-01-01 01:30:00 .. 2019-12-31 15:30:00")
