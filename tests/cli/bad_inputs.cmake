# SPDX-License-Identifier: MIT
# The catalogue of bad and awkward inputs: for each, the exit code, a one-line message naming
# the file, row or option, and no output left behind (run_cli_test.cmake also fails on any
# .hotmap-tmp-* temporary). Awkward-but-valid inputs are read and counted.
set(B @DATA@/bad)
set(SQ -i @DATA@/squares_points.csv --incidents-crs EPSG:32735)
set(TWO -d @DATA@/two_squares.geojson)
# one line on stderr: "hotmap <cmd>: error: ...\n" and nothing else
# one_line_error(NAME RC COMMAND ARGS... WHAT_REGEX [ENV VAR=VALUE...])
function(one_line_error name rc cmd)
  cmake_parse_arguments(PARSE_ARGV 3 O "" "" "ENV")
  set(args ${O_UNPARSED_ARGUMENTS})
  list(POP_BACK args what)
  add_cli_test(NAME bad-${name} ARGS ${cmd} ${args} EXPECT_RC ${rc} ENV ${O_ENV}
               STDERR_REGEX "^hotmap ${cmd}: error: [^\n]*${what}[^\n]*\n$" NO_OUTPUTS out.geojson out.tif rej.csv)
endfunction()

# --- files that are not what they claim
one_line_error(folder-as-input 1 info -i @DATA@ "is a folder")
one_line_error(folder-as-csv-input 1 info -i @DATA@/bad/ "is a folder")
one_line_error(cr-only-line-ends 1 info -i ${B}/cr_only.csv "carriage returns only")
one_line_error(wrong-delimiter 1 grid -i ${B}/wrong_delimiter.csv --cell 100 -o out.geojson
               "no incident was accepted \\(2 rows read. too_few_fields 2\\): check the delimiter")
one_line_error(missing-prj-file 1 info -i @DATA@/xy_nocrs.csv --incidents-crs @DATA@/none.prj "CRS file '.*none.prj': cannot open: no such file")
one_line_error(xy-that-look-like-lonlat 1 info -i ${B}/xy_lonlat.csv "look like longitude/latitude: give --incidents-crs EPSG:4326")
one_line_error(unknown-timezone 2 info -i ${B}/offsets.csv --timezone Mars/Olympus "--timezone 'Mars/Olympus': unknown time zone")
one_line_error(strict-truncated-file 1 info --strict -i ${B}/truncated.csv "truncated.csv: line 4: rejected \\(too_few_fields\\)")
one_line_error(strict-too-many-fields 1 info --strict -i ${B}/field_counts.csv "field_counts.csv: line 4: rejected \\(too_many_fields\\)")
one_line_error(strict-huge-weight 1 info --strict -i ${B}/weights_huge.csv --incidents-crs EPSG:32735 --weight severity
               "line 3, column 'severity': rejected \\(weight_out_of_range\\)")
one_line_error(strict-year-9999 1 info --strict -i ${B}/dates_out_of_range.csv --incidents-crs EPSG:32735
               "line 2, column 'datetime': rejected \\(time_out_of_range\\)")

# --- awkward but valid: read, and every row accounted for
add_cli_test(NAME awkward-quoted-newlines ARGS info -i ${B}/quoted_newlines.csv --json
             STDOUT_REGEX "\"read\": 4" "\"accepted\": 4" "\"theft\": 2")
add_cli_test(NAME awkward-crlf ARGS info -i ${B}/crlf.csv --json STDOUT_REGEX "\"accepted\": 2")
add_cli_test(NAME awkward-bom-tab ARGS info -i @DATA@/bom_tab.csv --json STDOUT_REGEX "\"read\": [1-9]")
add_cli_test(NAME awkward-truncated-last-row ARGS info -i ${B}/truncated.csv --rejects rej.csv --json
             STDERR_REGEX "warning: 1 of 3 rows rejected \\(too_few_fields 1\\)"
             STDOUT_REGEX "\"accepted\": 2" OUTPUTS rej.csv CHECK_CMD sh -c "grep -q '^4,too_few_fields,' rej.csv")
add_cli_test(NAME awkward-field-counts ARGS info -i ${B}/field_counts.csv --json
             STDERR_REGEX "too_few_fields 1, too_many_fields 1, unterminated_quote 1"
             STDOUT_REGEX "\"accepted\": 2")
add_cli_test(NAME awkward-non-utf8-category-json ARGS info -i ${B}/latin1.csv --json
             STDERR_REGEX "warning: 1 category name\\(s\\) are not valid UTF-8 and were read as Windows-1252"
             STDOUT_REGEX "vol à l'étalage")
add_cli_test(NAME awkward-non-utf8-to-geojson ARGS hotspots -q -i ${B}/latin1.csv --method dbscan --eps 1000 --min-points 2 -o out.geojson
             OUTPUTS out.geojson CHECK_CMD python3 -c "import json\nd = json.load(open('out.geojson', encoding='utf-8', errors='strict'))\nassert d['features'][0]['properties']['category'] == 'vol \\u00e0 l\\'\\u00e9talage', d")
add_cli_test(NAME awkward-nan-inf-coordinates ARGS info -i ${B}/nan_inf.csv --json
             STDERR_REGEX "4 of 5 rows rejected \\(out_of_range_coordinate 1, unparseable_number 3\\)" STDOUT_REGEX "\"accepted\": 1")
add_cli_test(NAME awkward-projected-1e308 ARGS info -i ${B}/xy_huge.csv --incidents-crs EPSG:32735 --json
             STDERR_REGEX "2 of 4 rows rejected \\(out_of_range_coordinate 2\\)" STDOUT_REGEX "\"accepted\": 2")
add_cli_test(NAME awkward-years-outside-1900-2199 ARGS info -i ${B}/dates_out_of_range.csv --incidents-crs EPSG:32735 --json
             STDERR_REGEX "3 of 4 rows rejected \\(time_out_of_range 3\\)" STDOUT_REGEX "\"accepted\": 1")
add_cli_test(NAME awkward-mixed-and-null-geometries ARGS info -i ${B}/mixed_geoms.geojson --json
             STDERR_REGEX "2 of 4 rows rejected \\(not_a_point 1, null_geometry 1\\)" STDOUT_REGEX "\"accepted\": 2")
add_cli_test(NAME awkward-utc-offsets-warn ARGS info -i ${B}/offsets.csv --hours 22-23 --json
             STDERR_REGEX "3 timestamp\\(s\\) carry a UTC offset .* give --timezone ZONE" STDOUT_REGEX "\"accepted\": 2")
add_cli_test(NAME awkward-utc-offsets-timezone ARGS info -i ${B}/offsets.csv --hours 22-23 --timezone Africa/Lubumbashi --json
             STDOUT_REGEX "\"accepted\": 4")
add_cli_test(NAME awkward-split-date-time ARGS info -i ${B}/date_time_split.csv --time Date,Time --hours 18-6 --json
             STDOUT_REGEX "\"accepted\": 3" "\"no_time_for_time_filter\": 1" "\"hours\": 1")
add_cli_test(NAME awkward-same-clock-time-warns ARGS info -i ${B}/date_time_split.csv --time Date --hours 18-6 --json
             STDERR_REGEX "every accepted timestamp has the same clock time \\(00:00\\)" STDOUT_REGEX "\"accepted\": 5")
add_cli_test(NAME awkward-invalid-district-repaired ARGS districts ${SQ} -d @DATA@/invalid_bowtie.geojson
             STDERR_REGEX "warning: district 'Bowtie' \\(feature 1\\) was invalid \\(Self-intersection" STDOUT_REGEX "outside every district")
add_cli_test(NAME awkward-overlapping-districts ARGS districts -v ${SQ} -d ${B}/overlapping_districts.geojson
             STDERR_REGEX "in more than one: 2" STDOUT_REGEX "Centre +4 " "Centre +3 ")
add_cli_test(NAME awkward-districts-in-another-crs ARGS districts -i ${B}/interior_points.csv --incidents-crs EPSG:32735
             -d ${B}/two_squares_4326.geojson STDERR_REGEX "warning: 1 incident\\(s\\) lie outside every district"
             STDOUT_REGEX "West +3 " "East +2 " "outside every district: 1")

# --- data conditions: exit 1, one line
one_line_error(one-incident-two-districts 1 hotspots -i ${B}/one_incident.csv --incidents-crs EPSG:32735 ${TWO} --on districts
               --distance 2000 -o out.geojson "at least 3 are needed")
one_line_error(all-at-one-point-auto-bandwidth 1 density -i ${B}/one_point.csv --incidents-crs EPSG:32735 -o out.tif
               "lie \\(almost\\) all at one place")
one_line_error(zero-variance-cells 1 hotspots -i ${B}/uniform.csv --incidents-crs EPSG:32735 --cell 1000
               --distance 1000 -o out.geojson "the analysis variable is constant")
one_line_error(zero-variance-districts 1 hotspots -i ${B}/uniform.csv --incidents-crs EPSG:32735 -d ${B}/three_squares.geojson
               --on districts -o out.geojson "the analysis variable is constant")
one_line_error(far-future-day-periods 1 districts -i ${B}/dates_1900_2199.csv --incidents-crs EPSG:32735 ${TWO} --period day
               "109573 periods, more than 10000")

# --- options out of range, checked where they are declared (exit 2)
one_line_error(threads-minus-one 2 info -i @DATA@/small_lonlat.csv --threads -1 "--threads -1: out of range \\(0..256\\)")
one_line_error(threads-huge 2 info -i @DATA@/small_lonlat.csv --threads 100000 "--threads 100000: out of range")
one_line_error(permutations-minus-one 2 hotspots ${SQ} --cell 500 --permutations -1 -o out.geojson "--permutations -1: out of range")
one_line_error(min-points-minus-one 2 hotspots ${SQ} --method dbscan --eps 100 --min-points -1 -o out.geojson "--min-points -1: out of range")
one_line_error(synth-incidents-minus-one 2 synth --incidents -1 -o out.geojson "--incidents -1: out of range")
one_line_error(cell-not-a-number 2 grid ${SQ} --cell 1e400 -o out.geojson "--cell '1e400': expected a number")
one_line_error(radius-1e308 2 coverage ${SQ} ${TWO} --facilities @DATA@/coverage_posts.geojson:1e308 "radius '1e308' is more than 10000000 m")
one_line_error(radius-rule-1e308 2 coverage ${SQ} ${TWO} --facilities @DATA@/coverage_posts.geojson --radius 1e308 "radius '1e308' is more than")
one_line_error(buffer-segments-million 2 coverage ${SQ} ${TWO} --facilities @DATA@/coverage_posts.geojson:100 --buffer-segments 1000000
               "--buffer-segments 1000000: out of range \\(1..256\\)")
one_line_error(zero-bandwidth 2 density ${SQ} --bandwidth 0 -o out.tif "--bandwidth '0': expected a number of metres")
one_line_error(negative-bandwidth 2 density ${SQ} --bandwidth -100 -o out.tif "--bandwidth '-100'")
one_line_error(tiny-bandwidth 2 density ${SQ} --bandwidth 1e-300 -o out.tif "--bandwidth '1e-300'")
one_line_error(huge-grid 2 grid ${SQ} --cell 0.001 -o out.geojson "grid is too large")
one_line_error(grid-beyond-memory 2 grid ${SQ} --cell 1 -o out.geojson "needs about .* of memory, more than the .* available"
               ENV HOTMAP_MEMORY_LIMIT=100000000)
one_line_error(density-beyond-memory 2 density ${SQ} --cell 0.5 --bandwidth 300 -o out.tif "needs about .* of memory"
               ENV HOTMAP_MEMORY_LIMIT=100000000)

# --- outputs
one_line_error(output-is-a-folder 2 grid ${SQ} --cell 500 -o @DATA@ "is a folder")
add_cli_test(NAME bad-output-is-the-input ARGS grid -i @OUT@/in.csv --incidents-crs EPSG:32735 --cell 500 -f CSV -o ./in.csv --overwrite
             EXPECT_RC 1 STDERR_REGEX "^hotmap grid: error: \\./in.csv: is an input of this run; write the output to another file\n$"
             SETUP_FILES in.csv CHECK_CMD sh -c "test \"$(cat in.csv)\" = old")
add_cli_test(NAME bad-rejects-is-the-input ARGS info -i @OUT@/in.csv --rejects in.csv --overwrite EXPECT_RC 1
             STDERR_REGEX "^hotmap info: error: in.csv: is an input of this run[^\n]*\n$" SETUP_FILES in.csv
             CHECK_CMD sh -c "test \"$(cat in.csv)\" = old")
add_cli_test(NAME bad-two-outputs-same-file ARGS density ${SQ} --bandwidth 300 --isobands out.tif -o out.tif EXPECT_RC 2
             STDERR_REGEX "^hotmap density: error: [^\n]*\n$" NO_OUTPUTS out.tif)
# a full disk: stdout, an output file, the --rejects file (RLIMIT_FSIZE makes writes fail with EFBIG)
add_cli_test(NAME bad-disk-full-stdout ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c
             "! \"$HOTMAP\" info -i @DATA@/small_lonlat.csv > /dev/full 2> err.txt && grep -q '^hotmap info: error: cannot write to standard output: No space left on device$' err.txt")
add_cli_test(NAME bad-disk-full-output ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c
             "trap '' XFSZ && ulimit -f 8 && ! \"$HOTMAP\" grid -i @DATA@/small_lonlat.csv --cell 2 -o big.geojson 2> err.txt && grep -q 'big.geojson: write failed' err.txt && [ $(wc -l < err.txt) -eq 1 ] && ! ls -A | grep -q -e big -e hotmap-tmp")
add_cli_test(NAME bad-disk-full-rejects ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c
             "printf 'id,lon,lat\\n0,29.19,-5.93\\n' > many_bad.csv && seq 1 3000 | sed 's/$/,bad,-5.9/' >> many_bad.csv && trap '' XFSZ && ulimit -f 8 && ! \"$HOTMAP\" info -q -i many_bad.csv --rejects rej.csv > /dev/null 2> err.txt && grep -q 'rej.csv: write failed' err.txt && ! ls -A | grep -q -e rej -e hotmap-tmp")
# SIGINT while the outputs are written: the process ends by the signal and leaves nothing
add_cli_test(NAME bad-sigint-mid-write ARGS --version STDOUT_REGEX "^hotmap" CHECK_CMD sh -c
             "mkdir city && test \"$(timeout -s INT 1 \"$HOTMAP\" synth --incidents 50000000 --incidents-only -o city > /dev/null 2>&1 || echo $?)\" = 124 && test -z \"$(ls -A city)\"")

# PostgreSQL/PostGIS sources that cannot be used (no server needed)
add_cli_test(NAME pg-unreachable ARGS grid -i "PG:host=127.0.0.1 port=1 dbname=nope user=u password=secret" --layer t --cell 250 -o g.csv
             EXPECT_RC 1 NO_OUTPUTS g.csv
             STDERR_REGEX "^hotmap grid: error: PG:host=127.0.0.1 port=1 dbname=nope user=u password=\\*\\*\\*: cannot connect to the database: [^\n]+\n$")
add_cli_test(NAME pg-aggregate-on-csv ARGS grid -i @SAMPLES@/kalemie/incidents.csv --cell 250 --aggregate-in-database -o g.csv
             EXPECT_RC 2 NO_OUTPUTS g.csv
             STDERR_REGEX "^hotmap grid: error: --aggregate-in-database needs a PostgreSQL/PostGIS source .*incidents.csv")
add_cli_test(NAME pg-aggregate-hex ARGS grid -i "PG:dbname=x" --layer t --cell 250 --shape hex --aggregate-in-database -o g.csv
             EXPECT_RC 2 NO_OUTPUTS g.csv STDERR_REGEX "^hotmap grid: error: --aggregate-in-database counts square cells only")
