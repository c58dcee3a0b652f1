#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: install what is missing, build, and run the main job on the
# bundled sample data (data-samples/kalemie, synthetic): the whole monthly analysis of
# data-samples/kalemie/analysis.ini, in English into out/demo and in French into out/demo-fr, and its
# public variant (public.ini) into out/demo-public.
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
# the public variant: the maps that may leave the office (small counts suppressed, points masked,
# the sensitive categories only at district level)
$HM run $S/public.ini -o out/demo-public --overwrite -q
$HM info -i $S/incidents.csv -q | tee out/demo/info.txt
# along the streets: what the stations, posts, lamps and patrol routes (followed along the streets)
# reach on foot at night, and the density per km of street
$HM coverage -i $S/incidents.csv -d $S/districts.geojson --facilities $S/facilities.geojson --facilities $S/patrols.geojson \
  --facility-type type --radius station=800,post=500,lamp=40,patrol=150 --streets $S/streets.geojson --max-snap 100 --hours 18-6 \
  -o out/demo/streets_coverage.gpkg --covered-area out/demo/streets_reach.gpkg --gaps out/demo/streets_gaps.gpkg --overwrite -q
$HM density -i $S/incidents.csv --streets $S/streets.geojson --max-snap 100 --bandwidth 300 --lixel 25 \
  -o out/demo/streets_density.gpkg --overwrite -q
set +x
echo "Done: open out/demo/report.html in a browser and out/demo/project.qgs in QGIS (French: out/demo-fr/);"
echo "every layer and raster is in out/demo/results.gpkg, the parameters and row accounting in out/demo/run.json;"
echo "along the streets: out/demo/streets_*.gpkg; the public variant of the run: out/demo-public/."
