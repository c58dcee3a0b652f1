#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: install what is missing, build, and run the main job on the
# bundled sample data (data-samples/kalemie, synthetic): the whole monthly analysis of
# data-samples/kalemie/analysis.ini, in English into out/demo and in French into out/demo-fr.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
cmake --build build -j"$(nproc)"
HM=${HM:-build/cli/hotmap}
S=data-samples/kalemie
mkdir -p out
set -x
$HM run $S/analysis.ini -o out/demo --overwrite -q
$HM run $S/analysis.ini -o out/demo-fr --lang fr --overwrite -q
$HM info -i $S/incidents.csv -q | tee out/demo/info.txt
set +x
echo "Done: open out/demo/report.html in a browser and out/demo/project.qgs in QGIS (French: out/demo-fr/);"
echo "every layer and raster is in out/demo/results.gpkg, the parameters and row accounting in out/demo/run.json."
