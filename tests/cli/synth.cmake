# SPDX-License-Identifier: MIT
# hotmap synth: a small data set that the other commands can read, and its refusals.
add_command_basics(synth)
add_cli_test(NAME synth-small ARGS synth --preset kalemie --incidents 1000 --dirty 0.05 --seed 3 -o ds
             OUTPUTS ds/incidents.csv ds/districts.geojson ds/facilities.geojson ds/patrols.geojson ds/hotspots_truth.geojson
             CHECK_CMD sh -c "test $(wc -l < ds/incidents.csv) -eq 1001 && ogrinfo -ro -so -al ds/districts.geojson | grep -q 'Feature Count: 16'")
add_cli_test(NAME synth-refuses-existing ARGS synth --preset kalemie --incidents 100 -o . SETUP_FILES incidents.csv
             EXPECT_RC 1 STDERR_REGEX "incidents.csv: already exists" CHECK_CMD sh -c "test \"$(cat incidents.csv)\" = old")
add_cli_test(NAME synth-unknown-preset ARGS synth --preset atlantis -o ds EXPECT_RC 2 STDERR_REGEX "atlantis")
add_cli_test(NAME synth-bad-dirty ARGS synth --dirty 1.5 -o ds EXPECT_RC 2 STDERR_REGEX "dirty")
