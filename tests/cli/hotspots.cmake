# SPDX-License-Identifier: MIT
# hotmap hotspots: Gi* and local Moran on the Memphis reference grid and precincts, styles, bad inputs.
add_command_basics(hotspots)
set(MEM -i @SHARED@/realdata/memphis_robberies_2019/incidents.csv --x x --y y --incidents-crs EPSG:32616 --crs EPSG:32616)
# the reference grid (cs 500 from the incidents' extent) and band 750: cell 0 z = -0.728248155471
add_cli_test(NAME hotspots-gistar-grid-reference ARGS hotspots ${MEM} --cell 500 --distance 750 -o out.csv -v
             STDERR_REGEX "4366 analysis cells.*34134 links.*global Moran's I \\(W, randomisation\\) = 0.352194"
             OUTPUTS out.csv
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx 'cell_id,row,col,count,weight,district,GiZScore,GiPValue,NNeighbors,Gi_Bin' plain.csv && grep -q '^0,0,0,0,0,,-0.72824815547' plain.csv && test $(wc -l < plain.csv) -eq 4367")
# precincts, queen contiguity (default for districts): Airways z = 2.08796116953
add_cli_test(NAME hotspots-gistar-precincts-queen ARGS hotspots ${MEM} --on districts
             -d @SHARED@/realdata/memphis_robberies_2019/precincts_32616.geojson --district-name precinct -o out.geojson -v
             STDERR_REGEX "queen contiguity; 34 links.*global Moran's I \\(W, randomisation\\) = -0.327964"
             OUTPUTS out.geojson out.qml
             CHECK_CMD sh -c "grep -q '\"district\": \"Airways\", \"incidents\": 204, \"GiZScore\": 2.0879611695' out.geojson && grep -q 'Hot spot, 99% confidence' out.qml")
add_cli_test(NAME hotspots-lisa-precincts ARGS hotspots ${MEM} --on districts --method lisa --permutations 99
             -d @SHARED@/realdata/memphis_robberies_2019/precincts_32616.geojson -o out.shp -q
             OUTPUTS out.shp out.dbf out.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -so out.shp | grep -q 'LMiIndex: Real' && ogrinfo -ro -al -so out.shp | grep -q 'COType: String' && grep -q 'High-High cluster' out.qml")
# dbscan: the Memphis incidents in 300 m neighbourhoods of at least 20 (clusters as convex hulls)
add_cli_test(NAME hotspots-dbscan ARGS hotspots ${MEM} --method dbscan --eps 300 --min-points 20 -o out.geojson -v
             STDERR_REGEX "dbscan: eps 300 m, min points 20: [1-9][0-9]* cluster\\(s\\)"
             OUTPUTS out.geojson out.qml
             CHECK_CMD sh -c "ogrinfo -ro -al -so out.geojson | grep -q 'per_km2: Real' && grep -q '\"cluster_id\": 1,' out.geojson")
add_cli_test(NAME hotspots-dbscan-needs-eps ARGS hotspots ${MEM} --method dbscan -o out.csv EXPECT_RC 2
             STDERR_REGEX "--method dbscan needs --eps" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-bad-method ARGS hotspots -i @DATA@/squares_points.csv --method kde --cell 100 -o out.csv EXPECT_RC 2
             STDERR_REGEX "--method 'kde': expected gistar, lisa or dbscan" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-grid-needs-cell ARGS hotspots -i @DATA@/squares_points.csv -o out.csv EXPECT_RC 2
             STDERR_REGEX "--on grid needs --cell" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-two-schemes ARGS hotspots -i @DATA@/squares_points.csv --cell 100 --knn 4 --distance 300 -o out.csv EXPECT_RC 2
             STDERR_REGEX "give only one of --distance, --knn, --contiguity" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-bad-distance ARGS hotspots -i @DATA@/squares_points.csv --cell 100 --distance far -o out.csv EXPECT_RC 2
             STDERR_REGEX "--distance 'far': expected a positive number of metres" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-contiguity-on-grid ARGS hotspots -i @DATA@/squares_points.csv --cell 100 --contiguity queen -o out.csv EXPECT_RC 2
             STDERR_REGEX "--contiguity applies to --on districts" NO_OUTPUTS out.csv)
add_cli_test(NAME hotspots-districts-needs-polygons ARGS hotspots -i @DATA@/squares_points.csv --on districts -o out.csv EXPECT_RC 2
             STDERR_REGEX "--on districts needs --districts" NO_OUTPUTS out.csv)
# --min-count 5 (publication): the sample's 250 m Gi* cells: 1,197 small counts suppressed, the
# z-scores and p-values withheld everywhere (they would give the counts back), every Gi_Bin kept
# (171 hot cells)
add_cli_test(NAME hotspots-min-count-sample ARGS hotspots -q -v -i @SAMPLES@/kalemie/incidents.csv -d @SAMPLES@/kalemie/districts.geojson
             --cell 250 --distance 750 --min-count 5 -o h.gpkg
             STDERR_REGEX "--min-count 5: 1197 count\\(s\\) of 1 to 4 suppressed.*z-scores, p-values and local statistics withheld \\(2 field\\(s\\) null\\)"
             CHECK_CMD sh -c "ogrinfo -ro -q h.gpkg -sql 'SELECT COUNT(GiZScore) AS z, COUNT(GiPValue) AS p, COUNT(Gi_Bin) AS b, COUNT(*) AS n, SUM(Gi_Bin > 0) AS hot FROM h' | tr -d '\\n' | grep -q 'z (Integer) = 0.*p (Integer) = 0.*b (Integer) = 2243.*n (Integer) = 2243.*hot (Integer) = 171' && ogrinfo -ro -q h.gpkg -sql 'SELECT COUNT(*) AS y FROM h WHERE count > 0 AND count < 5' | grep -q 'y (Integer) = 0'")
# DBSCAN: clusters of fewer than K incidents left out (their hulls would show where a few
# incidents are), a top category of fewer than K not named
add_cli_test(NAME hotspots-min-count-dbscan ARGS hotspots -q -v -i @SAMPLES@/kalemie/incidents.csv --method dbscan --eps 50 --min-points 4
             --min-count 5 -o c.csv
             STDERR_REGEX "dbscan: eps 50 m, min points 4: 28 cluster\\(s\\).*--min-count 5: 12 cluster\\(s\\) of fewer than 5 incidents left out"
             CHECK_CMD sh -c "test $(wc -l < c.csv) -eq 17 && awk -F, 'NR > 1 && ($2 < 5 || ($6 != \"\" && $2 * $7 < 4.999))' c.csv | grep -c . | grep -qx 0")
