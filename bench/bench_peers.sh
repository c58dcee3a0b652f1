#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Peers side by side in one run (issue 13, DESIGN.md §7): on the same `hotmap synth --preset kalemie`
# points, hotmap against
#   qgis     QGIS's heatmap (qgis:heatmapkerneldensityestimation, quartic, r = 500 m, 25 m pixels, raw)
#            vs hotmap density quartic on QGIS's own grid (agreement: hotmap = QGIS raw x 3/(pi r^2))
#   gdal     gdal_grid -a count:radius1=500:radius2=500 (points within 500 m of each cell centre)
#            vs hotmap density --kernel uniform x pi r^2 (the same count) on the 25 m grid
#   spatstat R spatstat density.ppp, gaussian sigma = 204 m, edge = FALSE, dimyx = the 25 m grid
#            vs hotmap density --kernel gaussian --bandwidth 204
#   sf       R sf st_intersects counts in the 1,000 districts of bench/make_districts.py
#            vs hotmap districts (the counts must be equal)
# and prints a markdown table: median wall-clock and median CPU (user + sys) of RUNS runs (default 3)
# and the largest peak RSS (/usr/bin/time -f "%e %U %S %M"), the ratios peer / hotmap, the agreement.
# With QGIS and N <= EMULATE_MAX (default 1M) bench/peers_qgis_emulate.py also re-does QGIS's loop.
# Usage: bench/bench_peers.sh [N]            (default N = 1000000)
#        PEERS="qgis" RUNS=1 bench/bench_peers.sh 10000000
#        BUILD=/path/to/release-build NO_BUILD=1 DATA=/tmp/data bench/bench_peers.sh
# Needs: qgis (qgis_process), gdal-bin, python3-gdal + python3-numpy, r-cran-spatstat.explore,
# r-cran-sf, time. The working CRS is UTM 35S (EPSG:32735, hotmap's default for these points); the
# peers read the points projected once by ogr2ogr (PROJ, as hotmap projects them) from the same CSV.
source "$(dirname "$0")/common.sh"
for c in /usr/bin/time ogr2ogr ogrinfo gdal_grid gdalinfo Rscript /usr/bin/python3; do
  command -v "$c" > /dev/null || { echo "needs $c"; exit 1; }
done
[ -x "$HM" ] && [ -n "${NO_BUILD:-}" ] || build_release
N=${1:-1000000}
RUNS=${RUNS:-3}
PEERS=${PEERS:-qgis gdal spatstat sf}
EPSG=32735
R=500       # quartic / uniform radius, metres
SIGMA=204   # gaussian sd: the spread of the 500 m quartic (per-axis variance r^2/6)
CELL=25
PY=/usr/bin/python3   # Debian's python, where python3-gdal and numpy live
HERE="$ROOT/bench"
export QT_QPA_PLATFORM=offscreen
# Debian's /usr/bin/qgis_process wrapper adds --noversioncheck from /etc/default/qgis, which
# qgis_process.bin of 3.22 rejects ("Command --noversioncheck not known!"): call the binary.
QGIS_PROCESS=$(command -v qgis_process.bin || command -v qgis_process || true)

f=$(synth_incidents "$N")
P="$DATA/peers_$N"
mkdir -p "$P"
cat "$f" > /dev/null   # warm the page cache
LOG="$P/log.txt"
: > "$LOG"

# timed OUT CMD...: RUNS runs (OUT removed before each), prints "median_wall_s median_cpu_s peak_MB"
# (cpu = user + sys of the process and the children it waited for; peak = the largest of the runs);
# the last run's stdout+stderr in $P/last.txt, every run's in $LOG. A failing run prints "FAIL rc".
timed() {
  local out=$1; shift
  local ts=() cs=() mx=0 i rc t u s m
  for ((i = 0; i < RUNS; i++)); do
    rm -f "$out"
    rc=0
    /usr/bin/time -f "%e %U %S %M" -o "$P/time.txt" "$@" > "$P/last.txt" 2>&1 || rc=$?
    { echo "\$ $*"; cat "$P/last.txt"; tail -1 "$P/time.txt"; } >> "$LOG"
    if [ "$rc" != 0 ]; then echo "FAIL $rc"; return 0; fi
    read -r t u s m < <(tail -1 "$P/time.txt")
    ts+=("$t"); cs+=("$(awk "BEGIN{print $u + $s}")"); [ "$m" -gt "$mx" ] && mx=$m
  done
  echo "$(printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]}')" \
       "$(printf '%s\n' "${cs[@]}" | sort -g | awk '{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]}')" "$((mx / 1024))"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
# geotransform of a GeoTIFF -> "X0 Y0 NCOL NROW" (Y0 = south edge)
grid_of() {
  gdalinfo -json "$1" | "$PY" -c 'import json,sys; j=json.load(sys.stdin); g=j["geoTransform"]; c,r=j["size"]; print("%.10g %.10g %d %d" % (g[0], g[3]+g[5]*r if g[5]<0 else g[3], c, r))'
}
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"); }
hm_row() { # TASK "wall cpu peak" [NOTE]
  local t c m; read -r t c m <<< "$2"
  if [ "$t" = FAIL ]; then row "$1" "hotmap" "failed (exit $c, see $LOG)" "" "" "" ""; return; fi
  row "$1" "hotmap${3:+ ($3)}" "$t s" "$c s" "$m MB" "1" ""
}
peer_row() { # TASK TOOL "wall cpu peak" "hotmap's wall cpu peak" AGREEMENT
  local t c m ht hc hm; read -r t c m <<< "$3"; read -r ht hc hm <<< "$4"
  if [ "$t" = FAIL ]; then row "$1" "$2" "failed (exit $c, see $LOG)" "" "" "" "$5"; return; fi
  row "$1" "$2" "$t s" "$c s" "$m MB" "$(ratio "$t" "$ht") wall, $(ratio "$c" "$hc") CPU" "$5"
}

# --- the points, projected once for the peers (not timed) ---
gpkg="$P/points.gpkg"
if [ ! -f "$gpkg" ]; then
  rm -f "$gpkg.tmp.gpkg"
  ogr2ogr -f GPKG "$gpkg.tmp.gpkg" "$f" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO \
    -s_srs EPSG:4326 -t_srs EPSG:$EPSG -nln points -nlt POINT -lco SPATIAL_INDEX=NO \
    -sql "SELECT FID FROM \"$(basename "$f" .csv)\""   # the points alone, no attribute
  # QGIS lays its heatmap raster from the layer's extent minus/plus r: widen the extent that the
  # GeoPackage declares (gpkg_contents; the points are unchanged) to whole cells, so that QGIS's
  # pixels are cells of hotmap's 25 m lattice and the two rasters can be compared cell by cell.
  ogrinfo -q "$gpkg.tmp.gpkg" -sql "UPDATE gpkg_contents SET min_x = $CELL*floor(min_x/$CELL), min_y = $CELL*floor(min_y/$CELL),
    max_x = $CELL*ceil(max_x/$CELL), max_y = $CELL*ceil(max_y/$CELL) WHERE table_name = 'points'" > /dev/null
  mv "$gpkg.tmp.gpkg" "$gpkg"   # only a finished GeoPackage is reused by later runs
fi
xy="$P/points_xy.csv"   # for R spatstat and the QGIS check
if [ ! -f "$xy" ] && { [[ " $PEERS " == *" spatstat "* ]] || [ "$N" -le "${EMULATE_MAX:-1000000}" ]; }; then
  rm -f "$xy.tmp.csv"
  ogr2ogr -f CSV "$xy.tmp.csv" "$gpkg" -lco GEOMETRY=AS_XY && mv "$xy.tmp.csv" "$xy"
fi

# --- hotmap density on the default grid (the incidents' extent, 25 m cells) ---
t_hq=$(timed "$P/hm_quartic.tif" "$HM" density -i "$f" --crs EPSG:$EPSG --cell $CELL --bandwidth $R --units m2 -o "$P/hm_quartic.tif" -q)
read -r X0 Y0 NC NR < <(grid_of "$P/hm_quartic.tif")
EXT="$X0,$Y0,$(awk "BEGIN{printf \"%.10g,%.10g\", $X0 + $NC*$CELL - 1, $Y0 + $NR*$CELL - 1}")"  # -1 m: NC x NR cells, not one more
hm_row "density quartic r=$R m, $NC x $NR cells" "$t_hq" ""

if [[ " $PEERS " == *" qgis "* ]]; then
  if [ -z "$QGIS_PROCESS" ]; then
    row "density quartic r=$R m" "QGIS heatmap" "not run: qgis_process not found (apt-get install qgis)" "" "" "" ""
  else
    q="$P/qgis_raw.tif"
    t_q=$(timed "$q" "$QGIS_PROCESS" run qgis:heatmapkerneldensityestimation -- INPUT="$gpkg" RADIUS=$R PIXEL_SIZE=$CELL \
      KERNEL=0 OUTPUT_VALUE=0 OUTPUT="$q")
    if [ -f "$q" ]; then
      read -r qx qy qc qr < <(grid_of "$q")
      qext="$qx,$qy,$(awk "BEGIN{printf \"%.10g,%.10g\", $qx + $qc*$CELL - 1, $qy + $qr*$CELL - 1}")"
      t_hqq=$(timed "$P/hm_quartic_qgrid.tif" "$HM" density -i "$f" --crs EPSG:$EPSG --cell $CELL --bandwidth $R --units m2 \
        --extent "$qext" -o "$P/hm_quartic_qgrid.tif" -q)
      agree=$("$PY" "$HERE/peers_compare.py" "$P/hm_quartic_qgrid.tif" "$q" "$(awk "BEGIN{printf \"%.17g\", 3/(3.14159265358979323846*$R*$R)}")")
      echo "qgis vs hotmap: $agree" >> "$LOG"
      a=$(awk '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} printf "max %.2g, median %.2g relative over %d cells above 1%% of the peak", v["max_rel"], v["med_rel"], v["cells"]}' <<< "$agree")
      hm_row "density quartic, QGIS's grid $qc x $qr" "$t_hqq" ""
      peer_row "density quartic, QGIS's grid $qc x $qr" "QGIS heatmap, raw x 3/(pi r^2)" "$t_q" "$t_hqq" "$a"
      # what of that is qgis_process's own start-up (Qt, the providers, the Python processing plugin)
      t_q0=$(timed "$P/none" "$QGIS_PROCESS" list)
      read -r t c m <<< "$t_q0"
      row "(qgis_process start-up: \`qgis_process list\`)" "QGIS" "$t s" "$c s" "$m MB" "" "included in the heatmap's time above"
      # the check that the difference is QGIS's vertical mirror and nothing else (not timed; ~90 s at 1M)
      if [ "$N" -le "${EMULATE_MAX:-1000000}" ]; then
        emu=$("$PY" "$HERE/peers_qgis_emulate.py" "$xy" "$q" "$P/hm_quartic_qgrid.tif" $R)
        echo "$emu" >> "$LOG"
        e1=$(sed -n 's/^QGIS raster vs the emulated loop with the mirror: max |diff| \/ peak = //p' <<< "$emu")
        e2=$(sed -n 's/^hotmap vs the emulated loop without the mirror.*= //p' <<< "$emu")
        row "(check: QGIS's loop re-done in numpy, double)" "bench/peers_qgis_emulate.py" "" "" "" "" \
          "QGIS = the loop with its mirror to $e1 of the peak (float32 sums); hotmap = the loop without it to $e2"
      fi
    else
      peer_row "density quartic r=$R m" "QGIS heatmap" "$t_q" "" "no output"
    fi
  fi
fi

if [[ " $PEERS " == *" gdal "* ]]; then
  g="$P/gdal_count.tif"
  t_hu=$(timed "$P/hm_uniform.tif" "$HM" density -i "$f" --crs EPSG:$EPSG --cell $CELL --bandwidth $R --kernel uniform --units m2 \
    --extent "$EXT" -o "$P/hm_uniform.tif" -q)
  t_g=$(timed "$g" gdal_grid -q -a count:radius1=$R:radius2=$R:min_points=0:nodata=0 -ot Float64 -of GTiff \
    -txe "$X0" "$(awk "BEGIN{print $X0 + $NC*$CELL}")" -tye "$(awk "BEGIN{print $Y0 + $NR*$CELL}")" "$Y0" -outsize "$NC" "$NR" \
    -l points "$gpkg" "$g")
  hm_row "count within $R m (uniform density x pi r^2)" "$t_hu" ""
  if [ -f "$g" ]; then
    agree=$("$PY" "$HERE/peers_compare.py" "$g" "$P/hm_uniform.tif" "$(awk "BEGIN{printf \"%.17g\", 3.14159265358979323846*$R*$R}")")
    echo "gdal_grid vs hotmap: $agree" >> "$LOG"
    a=$(awk '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} printf "%d of %d cells differ once rounded to whole points; largest difference %.2g points (hotmap writes float32)", v["int_diff"], v["ncells"], v["max_abs"]}' <<< "$agree")
  else a="no output"; fi
  peer_row "count within $R m (uniform density x pi r^2)" "gdal_grid count" "$t_g" "$t_hu" "$a"
fi

if [[ " $PEERS " == *" spatstat "* ]]; then
  t_hg=$(timed "$P/hm_gauss.tif" "$HM" density -i "$f" --crs EPSG:$EPSG --cell $CELL --bandwidth $SIGMA --kernel gaussian --units m2 \
    --extent "$EXT" -o "$P/hm_gauss.tif" -q)
  hm_row "density gaussian sigma=$SIGMA m" "$t_hg" ""
  if Rscript -e 'quit(status = !requireNamespace("spatstat.explore", quietly = TRUE))' > /dev/null 2>&1; then
    s="$P/spatstat.bin"
    t_s=$(timed "$s" Rscript "$HERE/peers_spatstat.R" "$xy" "$X0" "$Y0" "$NC" "$NR" $CELL $SIGMA "$s")
    sdens=$(sed -n 's/.*density=\([0-9.]*\).*/\1/p' "$P/last.txt" | tail -1)
    if [ -f "$s" ]; then
      agree=$("$PY" "$HERE/peers_compare.py" "$P/hm_gauss.tif" "$s" 1 --xyz "$X0,$Y0,$NC,$NR,$CELL")
      echo "spatstat vs hotmap: $agree" >> "$LOG"
      a=$(awk '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} printf "max %.2g, median %.2g relative over %d cells above 1%% of the peak", v["max_rel"], v["med_rel"], v["cells"]}' <<< "$agree")
    else a="no output"; fi
    peer_row "density gaussian sigma=$SIGMA m" "R spatstat density.ppp (FFT); density.ppp ${sdens:-?} s" "$t_s" "$t_hg" "$a"
  else
    row "density gaussian sigma=$SIGMA m" "R spatstat" "not run: spatstat.explore missing (apt-get install r-cran-spatstat.explore)" "" "" "" ""
  fi
fi

if [[ " $PEERS " == *" sf "* ]]; then
  poly="$DATA/districts_1000.geojson"
  [ -f "$poly" ] || python3 "$HERE/make_districts.py" 40 25 "$poly"
  t_hd=$(timed "$P/hm_districts.csv" "$HM" districts -i "$f" -d "$poly" --crs EPSG:$EPSG -o "$P/hm_districts.csv" -q)
  hm_row "points in 1,000 districts" "$t_hd" ""
  if Rscript -e 'quit(status = !requireNamespace("sf", quietly = TRUE))' > /dev/null 2>&1; then
    t_sf=$(timed "$P/sf_counts.csv" Rscript "$HERE/peers_sf.R" "$f" "$poly" $EPSG "$P/sf_counts.csv")
    sjoin=$(sed -n 's/.*intersects=\([0-9.]*\).*/\1/p' "$P/last.txt" | tail -1)
    a=$("$PY" - "$P/hm_districts.csv" "$P/sf_counts.csv" <<'EOF'
import csv, sys
h = {r["district"]: int(r["incidents"]) for r in csv.DictReader(open(sys.argv[1]))}
s = {r["name"]: int(r["count"]) for r in csv.DictReader(open(sys.argv[2]))}
diff = [k for k in s if h.get(k) != s[k]]
print("counts equal in all %d districts (%d points)" % (len(s), sum(s.values())) if not diff and len(h) == len(s)
      else "counts DIFFER in %d of %d districts (hotmap %d, sf %d points)" % (len(diff), len(s), sum(h.values()), sum(s.values())))
EOF
)
    echo "sf vs hotmap: $a" >> "$LOG"
    peer_row "points in 1,000 districts" "R sf st_intersects; st_intersects ${sjoin:-?} s" "$t_sf" "$t_hd" "$a"
  else
    row "points in 1,000 districts" "R sf" "not run: sf missing (apt-get install r-cran-sf)" "" "" "" ""
  fi
fi

machine
echo "$N incidents ($(du -h "$f" | cut -f1) CSV), median of $RUNS runs, peak RSS the largest of them; log: $LOG"
echo
echo "| task | tool | wall (median) | CPU user+sys (median) | peak RSS | peer / hotmap | agreement with hotmap |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
