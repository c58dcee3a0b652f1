# SPDX-License-Identifier: MIT
# hotmap run: one config, the inputs read once, every step's layers in results.gpkg equal to
# what the commands write on their own; run.json; bad configs (clear error naming the file,
# section and key; exit 2 for the config, 1 for data; no folder left behind).
add_command_basics(run)
# the run's layers, attribute for attribute, against the commands' own outputs
add_cli_test(NAME run-squares-equals-commands ARGS run @DATA@/run/squares.ini -o res -v
             STDERR_REGEX "wrote 5 layers to res/results.gpkg"
             STDOUT_REGEX "hotmap run: 4 steps, 7 incidents -> res/"
             OUTPUTS res/results.gpkg res/run.json
             CHECK_CMD sh -c "${CMAKE_CURRENT_SOURCE_DIR}/cli/check_run_squares.sh ${CMAKE_BINARY_DIR}/cli/hotmap ${PROJECT_SOURCE_DIR}/tests/data && python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_run_json.py res/run.json --steps 4 --layers 5 --read 7 --step-incidents coverage_february=1")
# --each month: the steps that describe a period, once per calendar month (a step whose own
# window leaves a month empty is left out of it); the months' incidents add up
add_cli_test(NAME run-each-month ARGS run -q @DATA@/run/squares.ini -o res --each month
             CHECK_CMD sh -c "python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_run_json.py res/run.json --steps 4 --layers 22 --read 7 --periods 2024-01=1,2024-02=1,2024-03=2,2024-04=3 --period-steps 4 && ogrinfo -ro -so res/results.gpkg coverage_february_2024_02 | grep -q 'Feature Count: 2' && grep -q 'id=\"periods\"' res/report.html")
# the same config twice (1 and 2 threads, small chunks so both really run in parallel): the same files
add_cli_test(NAME run-same-files ARGS run -q @DATA@/run/squares.ini -o a --threads 1 ENV HOTMAP_CHUNK_CAP=2
             CHECK_CMD sh -c "HOTMAP_CHUNK_CAP=2 ${CMAKE_BINARY_DIR}/cli/hotmap run -q ${PROJECT_SOURCE_DIR}/tests/data/run/squares.ini -o b --threads 2 && ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_run_same.sh a b")
# a step's own filter narrows only that step; nothing but the run's files in the folder
add_cli_test(NAME run-folder-contents ARGS run -q @DATA@/run/squares.ini -o res
             CHECK_CMD sh -c "test \"$(ls -A res | tr '\\n' ' ')\" = 'project.qgs report.html results.gpkg run.json '")
# --copies: every layer also as a styled file, rasters as styled GeoTIFFs
add_cli_test(NAME run-copies ARGS run -q @DATA@/run/squares.ini -o res --copies geojson,shp
             OUTPUTS res/districts.geojson res/districts.qml res/districts.shp res/coverage_gaps.geojson res/coverage_february.shp
                     res/density.tif res/density.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -so res/coverage_gaps.geojson | grep -q 'Feature Count: 5' && gdalinfo res/density.tif | grep -q 'Size is 21, 11'")
add_cli_test(NAME run-exists-no-overwrite ARGS run -q @DATA@/run/squares.ini -o res SETUP_FILES res/run.json EXPECT_RC 1
             STDERR_REGEX "res/run.json: already exists \\(use --overwrite")
foreach(case step key input_in_step output_path no_incidents value)
  add_cli_test(NAME run-bad-${case} ARGS run @DATA@/run/bad_${case}.ini -o res EXPECT_RC 2 NO_OUTPUTS res
               STDERR_REGEX "^hotmap run: error: .*bad_${case}\\.ini")
endforeach()
add_cli_test(NAME run-bad-missing-facilities ARGS run @DATA@/run/bad_missing_facilities.ini -o res EXPECT_RC 1 NO_OUTPUTS res
             STDERR_REGEX "no_such_posts\\.geojson: cannot open: no such file .*\\[coverage\\]")
# a step that fails after the inputs are read: the folder the run created is removed again
add_cli_test(NAME run-bad-step-fails-late ARGS run @DATA@/run/bad_emerging_no_time.ini -o res EXPECT_RC 1 NO_OUTPUTS res
             STDERR_REGEX "^hotmap run: error: .*time")
add_cli_test(NAME run-missing-config ARGS run no_such.ini -o res EXPECT_RC 1 NO_OUTPUTS res
             STDERR_REGEX "no_such\\.ini: cannot open")
# the sample's whole analysis: every step, the accounting balanced
add_cli_test(NAME run-kalemie-sample ARGS run -q @SAMPLES@/kalemie/analysis.ini -o res
             OUTPUTS res/results.gpkg res/run.json res/rejects.csv
             CHECK_CMD python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_run_json.py res/run.json --steps 12 --layers 19 --read 5000
                       --step-incidents coverage_night=2906)
# min-count in a step: the published layer is suppressed and the report shows none of the
# step's unsuppressed counts (the note instead of the district table)
add_cli_test(NAME run-min-count ARGS run -q @DATA@/run/min_count.ini -o res
             CHECK_CMD sh -c "grep -q 'Small counts are suppressed' res/report.html && ! grep -q '>West</td>' res/report.html && ogrinfo -ro -q res/results.gpkg -sql 'SELECT COUNT(*) AS n FROM districts WHERE suppressed = 1 AND incidents IS NULL' | grep -q 'n (Integer) = 2'")
# steps along the streets: the density step writes a line layer of lixels (not a raster)
add_cli_test(NAME run-streets ARGS run -q @DATA@/run_streets.ini -o out
             CHECK_CMD sh -c "ogrinfo -ro -so out/results.gpkg | grep -q 'density_streets (Multi Line String)' && ogrinfo -ro -so out/results.gpkg | grep -q 'coverage_walk_gaps (Multi Line String)'")
# The public variant of the sample run (public = yes, sensitive = sexual violence,domestic
# violence): check_public.py reads every layer of results.gpkg: no field of the drop list, no
# sensitive category column below district level, no published count of 1 to 4; the report says
# what was done
add_cli_test(NAME run-public-sample ARGS run -q @SAMPLES@/kalemie/public.ini -o pub
             CHECK_CMD sh -c "python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_public.py pub/results.gpkg 'sexual violence,domestic violence' 5 && grep -q 'Published with the public profile' pub/report.html && ogrinfo -ro -so pub/results.gpkg coverage_night_incidents | grep -q 'week: DateTime' && ogrinfo -ro -q pub/results.gpkg -sql 'SELECT COUNT(*) AS n FROM districts WHERE c_sexual_violence IS NOT NULL' | grep -q 'n (Integer) = 1[0-9]' && ogrinfo -ro -al -q pub/results.gpkg coverage_night_incidents | grep -q 'geomask donut 50-250 m'")
add_cli_test(NAME run-public-refuses-site ARGS run -q @DATA@/run/public_with_site.ini -o out EXPECT_RC 2
             STDERR_REGEX "public_with_site.ini: \\[site\\]: hotmap site has no --public \\(it publishes what the profile cannot protect\\): leave this step out of a public run"
             NO_OUTPUTS out)
add_cli_test(NAME run-public-step-key ARGS run -q @DATA@/run/public_step_key.ini -o out EXPECT_RC 2
             STDERR_REGEX "\\[districts\\] public: set it at the top of the file, for the whole run" NO_OUTPUTS out)
