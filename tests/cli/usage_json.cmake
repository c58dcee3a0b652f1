# SPDX-License-Identifier: MIT
# `hotmap [COMMAND] --usage-json` (issue 15): the JSON parses and agrees with --help for every
# registered command (names, short names, help, defaults, choices, path kinds, positionals).
add_cli_test(NAME usage-json-all ARGS --usage-json STDOUT_REGEX "\"usage_json_version\": 1"
             CHECK_CMD python3 "${PROJECT_SOURCE_DIR}/tests/cli/check_usage_json.py")
add_cli_test(NAME usage-json-density ARGS density --usage-json
             STDOUT_REGEX "\"name\": \"density\"" "\"kind\": \"output_path\"" "\"path\": \"raster\"")
add_cli_test(NAME usage-json-unknown-option ARGS density --usage-json --no-such-option EXPECT_RC 2
             STDERR_REGEX "^hotmap density: error: .*no-such-option")
# --progress: machine-readable lines on stderr, 0% first and 100% last
add_cli_test(NAME progress-lines ARGS grid -i @SAMPLES@/kalemie/incidents.csv --cell 1000 -o @OUT@/g.csv --progress -q
             STDERR_REGEX "^hotmap grid: progress: 0% started\nhotmap grid: progress: 100% done\n$" OUTPUTS g.csv)
