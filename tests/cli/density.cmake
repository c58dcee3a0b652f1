# SPDX-License-Identifier: MIT
# hotmap density: a hand-checked pixel, isobands, edge correction, the Memphis references, bad inputs.
add_command_basics(density)
set(SQ -i @DATA@/squares_points.csv --incidents-crs EPSG:32735)
# Point 6 (503000, 9340500) is alone within 300 m; the pixel centred at (503050, 9340550) is at
# d^2 = 5000: 3/(pi 300^2) (1 - 5000/300^2)^2 * 1e6 = 9.4641520 per km2 (Float32 in the file).
add_cli_test(NAME density-hand-pixel ARGS density ${SQ} --cell 100 --bandwidth 300 -o d.tif
             OUTPUTS d.tif
             CHECK_CMD sh -c "gdalinfo d.tif | grep -q 'Size is 31, 10' && v=$(gdallocationinfo -valonly -geoloc d.tif 503050 9340550) && awk -v v=$v 'BEGIN{exit !(v > 9.464151 && v < 9.464153)}'")
add_cli_test(NAME density-isobands-edge ARGS density ${SQ} -d @DATA@/two_squares.geojson --cell 50 --bandwidth 400
             --edge-correct --kernel epanechnikov --units ha --isobands bands.geojson --levels 0.02,0.05 -o d.tif -v
             STDERR_REGEX "kernel epanechnikov, bandwidth 400 m, units incidents per ha, edge-corrected"
             OUTPUTS d.tif bands.geojson bands.qml
             CHECK_CMD sh -c "gdalinfo d.tif | grep -q 'NoData Value=-9999' && ogrinfo -ro -al bands.geojson | grep -q 'lower (Real) = 0.02' && ogrinfo -ro -al bands.geojson | grep -q 'share_pct (Real)'")
add_cli_test(NAME density-auto-bandwidth ARGS density ${SQ} --cell 100 -o d.tif -v
             STDERR_REGEX "bandwidth auto: [0-9.]+ m = 0.9 \\* min\\(SD" OUTPUTS d.tif)
set(M @SHARED@/realdata/memphis_robberies_2019)
set(R ${HOTMAP_SHARED_DIR}/reference/memphis_robberies_2019)
add_cli_test(NAME density-memphis-quartic ARGS density -i ${M}/incidents.csv --x x --y y --incidents-crs EPSG:32616
             --cell 250 --bandwidth 1000 --units m2 -q -o k.tif OUTPUTS k.tif
             CHECK_CMD sh -c "gdal_translate -q -of XYZ k.tif k.xyz && python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/kde_vs_reference.py k.xyz ${R}/kde_quartic_h1000_px250.csv 1e-6")
add_cli_test(NAME density-memphis-gaussian ARGS density -i ${M}/incidents.csv --x x --y y --incidents-crs EPSG:32616
             --cell 250 --bandwidth 500 --kernel gaussian --units m2 -q -o k.tif OUTPUTS k.tif
             CHECK_CMD sh -c "gdal_translate -q -of XYZ k.tif k.xyz && python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/kde_vs_reference.py k.xyz ${R}/kde_gaussian_sigma500_px250.csv 1e-6")
add_cli_test(NAME density-bad-cell ARGS density ${SQ} --cell -5 -o d.tif EXPECT_RC 2 STDERR_REGEX "--cell must be positive" NO_OUTPUTS d.tif)
add_cli_test(NAME density-bad-kernel ARGS density ${SQ} --kernel cosine -o d.tif EXPECT_RC 2
             STDERR_REGEX "--kernel 'cosine': expected quartic" NO_OUTPUTS d.tif)
add_cli_test(NAME density-bad-bandwidth ARGS density ${SQ} --bandwidth wide -o d.tif EXPECT_RC 2
             STDERR_REGEX "--bandwidth 'wide'" NO_OUTPUTS d.tif)
add_cli_test(NAME density-bad-units ARGS density ${SQ} --units acres -o d.tif EXPECT_RC 2 STDERR_REGEX "--units 'acres'" NO_OUTPUTS d.tif)
add_cli_test(NAME density-not-tif ARGS density ${SQ} -o d.png EXPECT_RC 2 STDERR_REGEX "GeoTIFF" NO_OUTPUTS d.png)
add_cli_test(NAME density-edge-needs-districts ARGS density ${SQ} --edge-correct -o d.tif EXPECT_RC 2
             STDERR_REGEX "--edge-correct needs --districts" NO_OUTPUTS d.tif)
add_cli_test(NAME density-bad-levels ARGS density ${SQ} --isobands b.geojson --levels 3,2 -o d.tif EXPECT_RC 2
             STDERR_REGEX "strictly ascending" NO_OUTPUTS d.tif b.geojson)
add_cli_test(NAME density-existing-output ARGS density ${SQ} --bandwidth 300 -o d.tif SETUP_FILES d.tif EXPECT_RC 1
             STDERR_REGEX "d.tif: already exists \\(use --overwrite to replace it\\)"
             CHECK_CMD sh -c "test \"$(cat d.tif)\" = old")
add_cli_test(NAME density-existing-isobands ARGS density ${SQ} --bandwidth 300 --isobands b.geojson -o d.tif SETUP_FILES b.geojson EXPECT_RC 1
             STDERR_REGEX "b.geojson: already exists" NO_OUTPUTS d.tif CHECK_CMD sh -c "test \"$(cat b.geojson)\" = old")
# --min-count 2 (publication): three incidents at 500500..500520 and one alone at 502000; with a
# 200 m radius the cell around the lone incident (centre 502050, 70.7 m from it, no other within
# 200 m) is nodata, the cell by the three (centre 500550: all three within 71 m) keeps its
# density, and a cell no incident reaches (centre 501250) stays 0; without the option the lone
# incident's cell has a density
set(MC_IN -i @DATA@/min_count_points.csv --incidents-crs EPSG:32735 --cell 100 --bandwidth 200 --extent 500000,9340000,502500,9341000)
add_cli_test(NAME density-min-count ARGS density ${MC_IN} --min-count 2 -o mc.tif -v
             STDERR_REGEX "--min-count 2: [0-9]+ cells with 1 to 1 incidents within 200 m are nodata"
             OUTPUTS mc.tif mc.qml
             CHECK_CMD sh -c "test $(gdallocationinfo -valonly -geoloc mc.tif 502050 9340550) = -9999 && test $(gdallocationinfo -valonly -geoloc mc.tif 501250 9340550) = 0 && python3 -c \"import sys; v=float(sys.argv[1]); sys.exit(0 if v > 10 else 1)\" $(gdallocationinfo -valonly -geoloc mc.tif 500550 9340550) && gdalinfo mc.tif | grep -q 'disclosure control'")
add_cli_test(NAME density-min-count-off ARGS density ${MC_IN} -o mc.tif
             CHECK_CMD sh -c "python3 -c \"import sys; v=float(sys.argv[1]); sys.exit(0 if v > 1 else 1)\" $(gdallocationinfo -valonly -geoloc mc.tif 502050 9340550)")
# Along the streets (tests/data/streets_cross.geojson, see coverage.cmake): 100 m lixels,
# epanechnikov h = 100 m, discontinuous. Incident 1 lies mid-way along the main street's west
# half (edge 1, at 500 m): the lixels either side of it (midpoints 50 m away) hold
# 3/(4h)(1 - 1/4) = 5.625 per km. Incident 3 lies on the junction of degree 4, on edge 1's end:
# its own lixel gets 5.625, the first lixel of the east half 5.625 / 3 = 1.875 (split three ways).
set(NETD -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 --streets @DATA@/streets_cross.geojson --max-snap 300
    --bandwidth 100 --lixel 100 --kernel epanechnikov)
add_cli_test(NAME density-streets-hand ARGS density -q ${NETD} -o lix.csv OUTPUTS lix.csv
             CHECK_CMD sh -c "head -1 lix.csv | grep -qx 'lixel_id,edge,street,length_m,density' && grep -qx '5,1,1,100,5.625' lix.csv && grep -qx '6,1,1,100,5.625' lix.csv && grep -qx '10,1,1,100,5.625' lix.csv && grep -qx '11,2,1,100,1.875' lix.csv && test $(wc -l < lix.csv) -eq 41")
add_cli_test(NAME density-streets-layer ARGS density -q ${NETD} --split continuous --units m -o lix.gpkg OUTPUTS lix.gpkg
             CHECK_CMD sh -c "ogrinfo -ro -so -al lix.gpkg | grep -q 'Geometry: .*Line String' && ogrinfo -ro -q lix.gpkg -sql 'SELECT COUNT(*) AS n FROM layer_styles' | grep -q 'n (Integer) = 1'")
add_cli_test(NAME density-streets-needs-bandwidth ARGS density -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             --streets @DATA@/streets_cross.geojson -o lix.gpkg EXPECT_RC 2 STDERR_REGEX "--streets needs --bandwidth METRES")
add_cli_test(NAME density-streets-area-units ARGS density ${NETD} --units km2 -o lix.gpkg EXPECT_RC 2
             STDERR_REGEX "--units km2: along the streets the density is per km or m of street")
add_cli_test(NAME density-streets-isobands ARGS density ${NETD} --isobands b.geojson -o lix.gpkg EXPECT_RC 2
             STDERR_REGEX "--isobands is for the area density")
add_cli_test(NAME density-streets-strict ARGS density ${NETD} --strict -o lix.gpkg EXPECT_RC 1
             STDERR_REGEX "row 3: the incident is 400\\.0 m from the nearest street" NO_OUTPUTS lix.gpkg)
add_cli_test(NAME density-streets-empty-network ARGS density -i @DATA@/squares_points.csv --incidents-crs EPSG:32735
             --streets @DATA@/bad/streets_zero_length.geojson --bandwidth 100 -o lix.gpkg
             EXPECT_RC 1 STDERR_REGEX "streets_zero_length.geojson: the street network is empty" NO_OUTPUTS lix.gpkg)
add_cli_test(NAME density-streets-geographic-crs ARGS density ${NETD} --crs EPSG:4326 -o lix.gpkg EXPECT_RC 1
             STDERR_REGEX "--crs EPSG:4326 is geographic: distances need a projected CRS")
add_cli_test(NAME density-layer-name-needs-streets ARGS density -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 --cell 100
             --bandwidth 300 --layer-name x -o d.tif EXPECT_RC 2 STDERR_REGEX "-f and --layer-name are for the lixel layer of --streets")
