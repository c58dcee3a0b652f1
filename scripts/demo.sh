#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: install what is missing, build, and run the main job on the
# bundled sample data (data-samples/kalemie), writing maps and a report into out/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
cmake --build build -j"$(nproc)"
HM=build/cli/hotmap
S=data-samples/kalemie
OUT=out/demo
mkdir -p "$OUT"
set -x
$HM info -i $S/incidents.csv --rejects $OUT/rejects.csv --overwrite | tee $OUT/info.txt
$HM districts -i $S/incidents.csv -d $S/districts.geojson --population population --category category \
    --period month -o $OUT/districts.gpkg --overwrite -q
$HM districts -i $S/incidents.csv -d $S/districts.geojson --population population -q | tee $OUT/districts.txt
