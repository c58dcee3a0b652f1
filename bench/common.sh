#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared helpers for the end-to-end benchmark scripts: build, data generation, timing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build-bench}"
DATA="${DATA:-$ROOT/bench/data}"
HM="$BUILD/cli/hotmap"

build_release() {
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target hotmap > /dev/null
}

# synth_incidents N -> path of a kalemie incidents CSV with N rows (generated once, cached)
synth_incidents() {
  local n=$1 dir="$DATA/kalemie_$1"
  if [ ! -f "$dir/incidents.csv" ]; then
    mkdir -p "$dir"
    "$HM" synth --preset kalemie --incidents "$n" --seed 7 --incidents-only -o "$dir" --overwrite >&2
  fi
  echo "$dir/incidents.csv"
}

# synth_full N -> folder with incidents, districts, facilities of the kalemie preset
synth_full() {
  local n=$1 dir="$DATA/kalemie_full_$1"
  if [ ! -f "$dir/districts.geojson" ]; then
    mkdir -p "$dir"
    "$HM" synth --preset kalemie --incidents "$n" --seed 7 -o "$dir" --overwrite >&2
  fi
  echo "$dir"
}

# timeit LABEL CMD... : best of 3 wall-clock seconds and the peak RSS of that run
timeit() {
  local label=$1; shift
  local best="" rss="" tf
  tf=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -o "$tf" -f "%e %M" "$@" > /dev/null 2>&1
    local out t m
    out=$(tail -1 "$tf"); t=${out% *}; m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  rm -f "$tf"
  printf '%-58s %8.2f s %9.0f MB\n' "$label" "$best" "$(awk "BEGIN{print $rss/1024}")"
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
}
