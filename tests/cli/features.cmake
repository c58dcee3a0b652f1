# SPDX-License-Identifier: MIT
# End-to-end tests of options that had none: --distance auto, --categories, --rate, rook/queen,
# hexagon hot spots, --no-fdr, --permutations (GiPseudoP), --layer, --layer-name, -f,
# --district-layer, --time-format, OGR date/time fields and --timezone. Every expected value is
# worked out in the comments (or is an independent R/Python/reference value), never copied
# from hotmap's own output.
#
# Fixtures (tests/data):
#   lattice10.csv    one point at each centre of a 10 x 10 grid of 100 m cells (EPSG:32735,
#                    x 500050..500950, y 9340050..9340950); weights grad = column + 1,
#                    checker = 1 or 2 in 2 x 2 blocks (1 + ((col div 2) + (row div 2)) mod 2)
#   golden5.csv      the golden 5 x 5 case of reference/README.md, cells of 100 m, weight count
#   nine_squares.geojson / nine_points.csv  3 x 3 districts of 1 km (r<row>c<col>, row 0 south)
#                    with populations 1000 2000 500 / 4000 1000 2000 / 1000 500 2500 and
#                    2 6 2 / 4 5 4 / 6 4 3 incidents inside (rows from the south)
#   hex7_utm35s.csv, hex7_3857.csv  one point near each centre of a 7 x 7 block of pointy-top
#                    hexagons of 100 m (README centre rule), weight 10 at (row 3, col 3), 5 on
#                    its six neighbours, 1 elsewhere; at Kalemie (UTM 35S) and near (0, 0)
#   dotted_times.csv/.geojson  times written '19.01.2024 22h15' (and one ISO time, one empty)
#   datetime_offsets.geojson   a real OGR DateTime field: 20:15Z, 23:30+02:00, 01:00-03:00 the
#                    next day, null, and a naive 21:00 (2024-01-19)
set(LAT -i @DATA@/lattice10.csv --incidents-crs EPSG:32735 --cell 100)
set(NINE -i @DATA@/nine_points.csv --incidents-crs EPSG:32735 --on districts -d @DATA@/nine_squares.geojson)
set(GOLD -i @DATA@/golden5.csv --incidents-crs EPSG:32735 --weight count --cell 100 --distance 142)
set(NOQ "tr -d '\\042' < out.csv > plain.csv")

# --- --distance auto (DESIGN §5) --------------------------------------------------------------
# 100 cells: k = 5% of 100 = 5. The 5th nearest centre is 100*sqrt(2) away for the 96 non-corner
# cells and 200 for the 4 corners: d0 = (96*141.4214 + 4*200)/100 = 143.765 m. With the linear
# trend (grad) global Moran's z never has a peak over d0*(1 + 0.25 s) (it only grows, with ties
# where the band adds no centre), so the band is d0; it holds the 8 queen neighbours:
# links = 4*9*10 + 4*9*9 = 684. --distance auto is the default for grids (no --distance given).
add_cli_test(NAME feat-distance-auto-fallback ARGS hotspots ${LAT} --weight grad -o out.csv -v
             STDERR_REGEX "100 analysis cells.*weights: distance band 143\\.765 m \\(auto\\). 684 links"
             OUTPUTS out.csv)
# The 2 x 2 checkerboard: global Moran's z (binary, randomisation) over the bands s = 0..5 is
# 1.424, 1.424, -6.222, -6.283, -1.172, -1.701 (an independent Python implementation of the
# spdep formula): the first peak is s = 4, band = 2*d0 = 287.529 m. Offsets within 2.875 cells:
# (1,0) (1,1) (2,0) (2,1) (2,2): links = 4*90 + 4*81 + 4*80 + 8*72 + 4*64 = 1836.
add_cli_test(NAME feat-distance-auto-first-peak ARGS hotspots ${LAT} --weight checker --distance auto -o out.csv -v
             STDERR_REGEX "weights: distance band 287\\.529 m \\(auto\\). 1836 links"
             OUTPUTS out.csv)

# --- --categories -----------------------------------------------------------------------------
# small_lonlat.csv: theft (rows 1, 3, 5), burglary (row 2), assault (row 4)
add_cli_test(NAME feat-categories-keep-two ARGS info -i @DATA@/small_lonlat.csv --categories theft,assault --json
             STDOUT_REGEX "\"read\": 5" "\"accepted\": 4" "\"filtered\": 1" "\"filtered_by\": {\n *\"category\": 1\n *}"
                          "\"assault\": 1" "\"burglary\": 0" "\"theft\": 3")
# with --hours 22-6 as well: row 2 (08:00) goes to hours, row 5 (no time) to
# no_time_for_time_filter, row 4 (assault at 02:30, in the window) to category: 2 accepted (1, 3)
add_cli_test(NAME feat-categories-and-hours ARGS info -i @DATA@/small_lonlat.csv --categories theft --hours 22-6 -v
             STDERR_REGEX "rows read 5 = accepted 2 \\+ filtered 3 \\+ rejected 0. filtered: category 1, hours 1, no_time_for_time_filter 1"
             STDOUT_REGEX "theft +2")
# the filtered incidents are counted nowhere: rows 2 and 4 (about 222 m apart, both in the
# 1 km cell 742000-743000 E, 9343000-9344000 N of UTM 35S) make the extent and the one cell,
# which holds 2 incidents, 1 assault and 1 burglary
add_cli_test(NAME feat-categories-in-grid ARGS grid -i @DATA@/small_lonlat.csv --categories burglary,assault --cell 1000 -o out.csv
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && test $(wc -l < plain.csv) -eq 2 && head -1 plain.csv | grep -q '^cell_id,row,col,count,weight,district,c_assault,c_burglary,' && grep -q '^0,0,0,2,2,,1,1,' plain.csv")

# --- --rate FIELD, rook vs queen --------------------------------------------------------------
# rate = incidents / population * 1000 = 2 3 4 / 1 5 2 / 6 8 1.2; mean 32.2/9, s^2 = 160.44/9 -
# mean^2 (divisor n). Gi* of r0c0, rook (itself, r0c1, r1c0): (2+3+1 - 3 mean)/(s sqrt((9*3-9)/8))
# = -1.40752825302; r2c1 (itself, r2c0, r2c2, r1c1) = 1.6612869224; 12 shared edges = 24 links.
# NNeighbors (self included): corners 3, edge middles 4, centre 5.
add_cli_test(NAME feat-rate-rook ARGS hotspots ${NINE} --rate population --contiguity rook -o out.csv -v
             STDERR_REGEX "rook contiguity. 24 links"
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && head -1 plain.csv | grep -qx 'district,incidents,population,per_1k_pop,GiZScore,GiPValue,NNeighbors,Gi_Bin' && grep -q '^r0c0,2,1000,2,-1\\.4075282530[0-9]*,[0-9.e-]*,3,0$' plain.csv && grep -q '^r2c1,4,500,8,1\\.661286922[0-9]*,[0-9.e-]*,4,0$' plain.csv && grep -q '^r1c1,5,1000,5,0\\.31345036[0-9]*,[0-9.e-]*,5,0$' plain.csv && grep -q '^r2c2,3,2500,1\\.2,0\\.13877039[0-9]*,' plain.csv && grep -q '^r1c0,4,4000,1,' plain.csv")
# queen adds the 2 diagonal pairs at each of the 4 inner vertices: 24 + 4*2*2 = 40 links; r0c0 now
# has r1c1 too: (2+3+1+5 - 4 mean)/(s sqrt((36-16)/8)) = -0.934082080899. The centre has all
# nine squares as neighbours (W = n): no variance, so no z (null) and bin 0.
add_cli_test(NAME feat-rate-queen ARGS hotspots ${NINE} --rate population --contiguity queen -o out.csv -v
             STDERR_REGEX "queen contiguity. 40 links"
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && grep -q '^r0c0,2,1000,2,-0\\.9340820808[0-9]*,[0-9.e-]*,4,0$' plain.csv && grep -q '^r0c1,6,2000,3,-1\\.328230886[0-9]*,[0-9.e-]*,6,0$' plain.csv && grep -qx 'r1c1,5,1000,5,,,9,0' plain.csv")
# the default for districts is queen contiguity
add_cli_test(NAME feat-rate-default-queen ARGS hotspots ${NINE} --rate population -o out.csv -v
             STDERR_REGEX "queen contiguity. 40 links" OUTPUTS out.csv)
add_cli_test(NAME feat-rate-needs-districts ARGS hotspots ${LAT} --rate population -o out.csv EXPECT_RC 2
             STDERR_REGEX "--rate applies to --on districts" NO_OUTPUTS out.csv)
add_cli_test(NAME feat-rate-missing-field ARGS hotspots ${NINE} --rate residents -o out.csv EXPECT_RC 1
             STDERR_REGEX "residents" NO_OUTPUTS out.csv)

# --- hexagons ----------------------------------------------------------------------------------
# A band of exactly one cell size reaches the six cells around (centres s apart; the next ring is
# s*sqrt(3) away): NNeighbors = 7 (self included) for every cell whose six neighbours are kept.
# Kept cells (README): the 49 of the block and, in the odd rows 1, 3, 5, a zero cell at col 7
# whose box meets the extent: 52 cells, ncol 8. Cells with 7: even rows 2, 4: cols 1..5 (10);
# odd rows 1, 3, 5: cols 1..6 (18): 28. The centre (row 3, col 3, id 3*8+3 = 27): n = 52, values
# 10, six 5, 42 ones, 3 zeros: mean 82/52, s^2 = 292/52 - mean^2; Gi* = (40 - 7 mean) /
# (s sqrt((52*7 - 49)/51)) = 6.58824288225. Links: rows 0 and 6: 3 + 5*4 + 3 = 26 each; rows 2, 4:
# 5 + 5*6 + 5 = 40 each; rows 1, 3, 5 (cols 0..7): 3 + 6*6 + 3 = 42 each: 258.
set(HEXCHECK "${NOQ} && test $(awk -F, 'NR>1 && $9==7' plain.csv | wc -l) -eq 28 && test $(awk -F, 'NR>1 && $9>7' plain.csv | wc -l) -eq 0 && grep -q '^27,3,3,1,10,,6\\.5882428822[0-9]*,[0-9.e-]*,7,3$' plain.csv")
add_cli_test(NAME feat-hex-one-cell-band-near-origin ARGS hotspots -i @DATA@/hex7_3857.csv --incidents-crs EPSG:3857 --weight w
             --cell 100 --shape hex --distance 100 -o out.csv -v
             STDERR_REGEX "hex cells of 100 m, 52 analysis cells.*distance band 100 m. 258 links"
             OUTPUTS out.csv CHECK_CMD sh -c "${HEXCHECK}")
# the same block at Kalemie (northing 9.34e6): the same neighbours and values are expected.
# (Fails with hotmap 0.1.0: the centres y0 + row*s*sqrt(3)/2 are rounded at 9.34e6 (1.9e-9 m),
# so the squared distance to the diagonal neighbours misses s^2 by ~1.6e-11 relative, more than
# distance_band's 1e-12 allowance: interior cells get 4 neighbours, 174 links.)
add_cli_test(NAME feat-hex-one-cell-band-utm ARGS hotspots -i @DATA@/hex7_utm35s.csv --incidents-crs EPSG:32735 --weight w
             --cell 100 --shape hex --distance 100 -o out.csv -v
             STDERR_REGEX "hex cells of 100 m, 52 analysis cells.*distance band 100 m. 258 links"
             OUTPUTS out.csv CHECK_CMD sh -c "${HEXCHECK}")

# --- --no-fdr vs FDR (reference/README.md golden 5 x 5) ----------------------------------------
# p of (2,2), (2,1), (1,2), (2,3), (3,2) [cell ids 12, 7, 11, 17, 13]: 3.9e-5, 0.00517, 0.00849,
# 0.0213, 0.0213, all others > 0.10. Plain: 3 3 3 2 2. BH with m = 25: q = 0.10 passes ranks 1..3
# (<= 0.004 k), q = 0.05 rank 1 (0.00517 > 0.004), q = 0.01 rank 1 (3.9e-5 <= 0.0004): 3 1 1 0 0.
set(BINS "tail -n +2 plain.csv | cut -d, -f10 | paste -sd' ' > bins.txt && grep -qx")
add_cli_test(NAME feat-gistar-fdr-bins ARGS hotspots ${GOLD} -o out.csv -v
             STDERR_REGEX "Gi_Bin counts \\(-3..3\\): 0 0 0 22 2 0 1 \\(FDR\\)"
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && ${BINS} '0 0 0 0 0 0 0 1 0 0 0 1 3 0 0 0 0 0 0 0 0 0 0 0 0' bins.txt && grep -q '^12,2,2,1,9,,4\\.112198' plain.csv")
add_cli_test(NAME feat-gistar-no-fdr-bins ARGS hotspots ${GOLD} --no-fdr -o out.csv -v
             STDERR_REGEX "Gi_Bin counts \\(-3..3\\): 0 0 0 20 0 2 3\n"
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && ${BINS} '0 0 0 0 0 0 0 3 0 0 0 3 3 2 0 0 0 2 0 0 0 0 0 0 0' bins.txt")

# --- --permutations R: GiPseudoP --------------------------------------------------------------
# Every GiPseudoP is (k+1)/(R+1) with an integer k in [0, R]: with R = 99, a whole number of
# hundredths in [0.01, 1]. The centre cell (value 9): its 8 neighbours sum to 34,
# which is the sum of the 8 largest of the 24 other values (7 6 5 4 4 3 3 2), reached by 2 of the
# C(24,8) = 735471 draws: P = 2.7e-6, so k = 0 and GiPseudoP = 0.01. Same seed: the same file
# for 1, 2 and 7 threads in chunks of 3 cells; another seed: a different file.
set(PERM_ARGS hotspots ${GOLD} --permutations 99)
string(REPLACE ";" " " PERM_LINE "${PERM_ARGS}")
add_cli_test(NAME feat-gistar-permutations ARGS ${PERM_ARGS} --seed 5 -o out.csv
             OUTPUTS out.csv
             CHECK_CMD sh -c "${NOQ} && head -1 plain.csv | grep -qx 'cell_id,row,col,count,weight,district,GiZScore,GiPValue,NNeighbors,Gi_Bin,GiPseudoP' && awk -F, 'NR>1{k=$11*100+0; r=int(k+0.5); if (k-r>1e-6 || r-k>1e-6 || r<1 || r>100) bad=1; n++} END{exit bad || n!=25}' plain.csv && grep -q '^12,2,2,1,9,.*,0\\.01$' plain.csv && HOTMAP_CHUNK_CAP=3 \"$HOTMAP\" ${PERM_LINE} --seed 5 --threads 1 -o t1.csv && HOTMAP_CHUNK_CAP=3 \"$HOTMAP\" ${PERM_LINE} --seed 5 --threads 2 -o t2.csv && HOTMAP_CHUNK_CAP=3 \"$HOTMAP\" ${PERM_LINE} --seed 5 --threads 7 -o t7.csv && cmp -s out.csv t1.csv && cmp -s out.csv t2.csv && cmp -s out.csv t7.csv && \"$HOTMAP\" ${PERM_LINE} --seed 6 -o other.csv && ! cmp -s out.csv other.csv")

# --- --layer, --layer-name, -f, --district-layer -----------------------------------------------
# squares_points.csv on 500 m cells: x0 = 500000, y0 = 9340000, 7 x 2 cells; cell 0 holds
# points 2 (500100, 9340100) and 7 (500000, 9340000): count 2.
set(SQP -i @DATA@/squares_points.csv --incidents-crs EPSG:32735)
string(REPLACE ";" " " SQP_LINE "${SQP}")
add_cli_test(NAME feat-layer-name-gpkg ARGS grid ${SQP} --cell 500 -o cells.gpkg --layer-name my_cells
             OUTPUTS cells.gpkg NO_OUTPUTS cells.qml
             CHECK_CMD sh -c "ogrinfo -ro -q cells.gpkg | grep -q '1: my_cells' && ! ogrinfo -ro -q cells.gpkg | grep -q ': cells ' && ogrinfo -ro -q cells.gpkg -sql \"SELECT f_table_name FROM layer_styles\" | grep -q 'f_table_name (String) = my_cells' && ogrinfo -ro -q cells.gpkg my_cells -where 'cell_id = 0' | grep -q 'count (Integer64) = 2'")
# -f GeoJSON with an extension GDAL would not guess: GeoJSON (RFC 7946 lon/lat: x = 500000 is
# the central meridian 27 E of UTM 35S), with its .qml beside it
add_cli_test(NAME feat-format-geojson-odd-extension ARGS grid ${SQP} --cell 500 -f GeoJSON -o cells.data
             OUTPUTS cells.data cells.qml
             CHECK_CMD sh -c "ogrinfo -ro cells.data | grep -q \"using driver .GeoJSON. successful\" && grep -q '\"cell_id\": 0, \"row\": 0, \"col\": 0, \"count\": 2,' cells.data && grep -q '\\[ 27\\.0, -5\\.97' cells.data")
# A GeoPackage with three layers: cells (the grid, first), squares (two_squares.geojson), incidents
# (small_lonlat.csv). --layer incidents reads the 5 incidents (the first layer would give 14
# polygons, all rejected as not_a_point); --district-layer squares counts in West and East:
# West holds points 1, 2, 7 and 3 on the shared edge, East 3, 4, 5 (closed polygons); 6 is out.
add_cli_test(NAME feat-multi-layer-gpkg ARGS grid ${SQP} --cell 500 -o multi.gpkg --layer-name cells
             OUTPUTS multi.gpkg
             CHECK_CMD sh -c "ogr2ogr -update multi.gpkg @DATA@/two_squares.geojson -nln squares && ogr2ogr -update multi.gpkg @DATA@/small_lonlat.csv -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln incidents && \"$HOTMAP\" info -i multi.gpkg --layer incidents --json > info.json && grep -q '\"read\": 5,' info.json && grep -q '\"accepted\": 5,' info.json && grep -q '\"theft\": 3' info.json && (\"$HOTMAP\" info -q -i multi.gpkg --json > first.txt 2>&1 || true) && grep -Eq 'not_a_point\"?:? 14' first.txt && \"$HOTMAP\" districts ${SQP_LINE} -q -d multi.gpkg --district-layer squares -o d.csv && tr -d '\\042' < d.csv > dplain.csv && grep -q '^West,4,' dplain.csv && grep -q '^East,3,' dplain.csv && ! \"$HOTMAP\" info -i multi.gpkg --layer nope 2> err.txt && grep -q \"no layer named 'nope'\" err.txt")

# --- --time-format ------------------------------------------------------------------------------
# '%d.%m.%Y %Hh%M': rows 1-3 parse (2024-01-19 22:15, 2024-02-02 08:05, 2023-12-31 23:59), row 4
# has no time, row 5 is ISO and does not fit the format: unparseable_time.
add_cli_test(NAME feat-time-format-csv ARGS info -i @DATA@/dotted_times.csv --time-format "%d.%m.%Y %Hh%M" --json
             STDERR_REGEX "warning: 1 of 5 rows rejected \\(unparseable_time 1\\)"
             STDOUT_REGEX "\"accepted\": 4" "\"time_range\": \\[\n *\"2023-12-31 23:59:00\",\n *\"2024-02-02 08:05:00\"\n *\\]"
                          "\"missing_time\": 1")
# --hours 22-6 keeps 22:15 and 23:59; 08:05 is filtered by hours; the empty time by no_time
add_cli_test(NAME feat-time-format-hours ARGS info -i @DATA@/dotted_times.csv --time-format "%d.%m.%Y %Hh%M" --hours 22-6 --json -q
             STDOUT_REGEX "\"accepted\": 2" "\"hours\": 1" "\"no_time_for_time_filter\": 1" "\"unparseable_time\": 1")
# the same through OGR (a GeoJSON string field)
add_cli_test(NAME feat-time-format-ogr ARGS info -i @DATA@/dotted_times.geojson --time-format "%d.%m.%Y %Hh%M" --json
             STDERR_REGEX "warning: 1 of 5 rows rejected \\(unparseable_time 1\\)"
             STDOUT_REGEX "\"accepted\": 4" "\"time_range\": \\[\n *\"2023-12-31 23:59:00\",\n *\"2024-02-02 08:05:00\"\n *\\]")

# --- OGR DateTime fields and --timezone ------------------------------------------------------
# Without --timezone the written clocks are kept (20:15, 23:30, 01:00 next day, 21:00), with a
# warning about the 3 offsets. With --timezone Africa/Lubumbashi (UTC+2, no DST): 20:15Z -> 22:15,
# 23:30+02 -> 23:30, 01:00-03 = 04:00Z -> 06:00; the naive 21:00 is local already.
add_cli_test(NAME feat-ogr-datetime-written-clock ARGS info -i @DATA@/datetime_offsets.geojson --json
             STDERR_REGEX "warning: 3 timestamp\\(s\\) carry a UTC offset"
             STDOUT_REGEX "\"time_format\": \"\\(date/time field\\)\"" "\"accepted\": 5"
                          "\"time_range\": \\[\n *\"2024-01-19 20:15:00\",\n *\"2024-01-20 01:00:00\"\n *\\]" "\"missing_time\": 1")
add_cli_test(NAME feat-ogr-datetime-timezone ARGS info -i @DATA@/datetime_offsets.geojson --timezone Africa/Lubumbashi --json
             STDOUT_REGEX "\"time_range\": \\[\n *\"2024-01-19 21:00:00\",\n *\"2024-01-20 06:00:00\"\n *\\]")
# --hours 22-23 at the local clock: only 22:15 (written 20:15Z); 23:30, 06:00 and 21:00 are
# filtered by hours, the null time by no_time_for_time_filter (-q: one accepted clock time warns)
add_cli_test(NAME feat-ogr-datetime-timezone-hours ARGS info -i @DATA@/datetime_offsets.geojson --timezone Africa/Lubumbashi
             --hours 22-23 --json -q
             STDOUT_REGEX "\"accepted\": 1" "\"hours\": 3" "\"no_time_for_time_filter\": 1")
# without --timezone the written clocks count: --hours 20-21 keeps 20:15 only (23:30, 01:00 and
# 21:00 are outside [20, 21)); with --timezone that row is at 22:15
add_cli_test(NAME feat-ogr-datetime-written-clock-hours ARGS info -i @DATA@/datetime_offsets.geojson --hours 20-21 --json -q
             STDOUT_REGEX "\"accepted\": 1" "\"hours\": 3" "\"no_time_for_time_filter\": 1")
# the same field in a GeoPackage (DateTime column): the same local times. The run itself:
# --hours 21-22 at Lubumbashi keeps the naive 21:00 only (22:15, 23:30, 06:00 are filtered)
add_cli_test(NAME feat-ogr-datetime-gpkg ARGS info -i @DATA@/datetime_offsets.geojson --timezone Africa/Lubumbashi --hours 21-22 --json -q
             STDOUT_REGEX "\"accepted\": 1" "\"hours\": 3"
             CHECK_CMD sh -c "ogr2ogr dt.gpkg @DATA@/datetime_offsets.geojson -nln timed 2> /dev/null && ogrinfo -ro -so dt.gpkg timed | grep -q 'occurred: DateTime' && \"$HOTMAP\" info -i dt.gpkg --timezone Africa/Lubumbashi --json > tz.json && tr -d '\\n' < tz.json | grep -q '\"time_range\": \\[ *\"2024-01-19 21:00:00\", *\"2024-01-20 06:00:00\" *\\]' && \"$HOTMAP\" info -q -i dt.gpkg --json > naive.json && tr -d '\\n' < naive.json | grep -q '\"time_range\": \\[ *\"2024-01-19 20:15:00\", *\"2024-01-20 01:00:00\" *\\]'")
