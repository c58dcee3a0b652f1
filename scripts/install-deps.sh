#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages hotmap needs (idempotent; run as root or with sudo);
# --tests adds what the tests open the outputs with (Chromium, QGIS) and PostgreSQL/PostGIS.
set -euo pipefail
PACKAGES=(
  cmake g++ make pkg-config
  libgdal-dev gdal-bin        # GDAL/OGR 3.6: every vector and raster format; ogrinfo for tests
  libgeos-dev                 # GEOS 3.11 C API: polygons, buffers, unions
  libproj-dev                 # PROJ 9.1: CRS transformations
  libboost-program-options-dev
  libboost-graph-dev          # max flow (capacitated siting)
  libglpk-dev                 # GLPK: exact siting (hotmap site --exact) and LP bounds
  libssl-dev                  # SHA-256 checksums of the inputs (hotmap run: run.json)
  libgtest-dev                # GoogleTest 1.12
  libfast-float-dev           # fast, exact number parsing for the CSV reader
  nlohmann-json3-dev          # JSON output (info --json, manifests)
  libhowardhinnant-date-dev tzdata  # time zones (--timezone) from the system tz database
  python3                     # one end-to-end test compares a GeoTIFF with the reference CSV
)
# with --tests (scripts/test.sh): what the report and QGIS project checks open the outputs with
if [ "${1:-}" = "--tests" ]; then
  PACKAGES+=(
    chromium                  # report.html rendered headless (screenshot, no failed request)
    qgis python3-qgis         # project.qgs and the layers opened in headless QGIS
    postgresql postgresql-15-postgis-3  # PostGIS sources and --aggregate-in-database (tests/cli/postgis.cmake)
  )
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
