# SPDX-License-Identifier: MIT
# What a QGIS user sees in every styled output: QML that parses, legend labels on every class,
# district labels, the rasters' styles and overviews, titles (.qmd, gpkg_contents), the
# incidents' time and category in the per-incident coverage layer.
set(ST_CHECK "python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_styles.py")
set(ST_IN -i @DATA@/squares_points.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
add_cli_test(NAME styles-grid ARGS grid ${ST_IN} --cell 250 -q -o g.geojson OUTPUTS g.geojson g.qml g.qmd
             CHECK_CMD sh -c "${ST_CHECK} g.qml && grep -q 'label=\"0 incidents per cell\"' g.qml && grep -q '<title>Incidents per grid cell (squares of 250 m)</title>' g.qmd")
add_cli_test(NAME styles-districts-labels ARGS districts ${ST_IN} -q -o d.geojson OUTPUTS d.geojson d.qml d.qmd
             CHECK_CMD sh -c "${ST_CHECK} --labels district d.qml && grep -q 'incidents per km²' d.qml")
add_cli_test(NAME styles-hotspots-districts ARGS hotspots -i @DATA@/nine_points.csv --incidents-crs EPSG:32735 --on districts
             -d @DATA@/nine_squares.geojson -q -o h.geojson OUTPUTS h.geojson h.qml
             CHECK_CMD sh -c "${ST_CHECK} --labels district h.qml && grep -q 'Hot spot, 99% confidence' h.qml")
add_cli_test(NAME styles-dbscan ARGS hotspots ${ST_IN} --method dbscan --eps 600 --min-points 2 -q -o c.geojson OUTPUTS c.geojson c.qml
             CHECK_CMD sh -c "${ST_CHECK} c.qml && grep -q 'label=\"incident cluster (DBSCAN, 2+ incidents within 600 m)\"' c.qml")
add_cli_test(NAME styles-density ARGS density ${ST_IN} --cell 50 --bandwidth 400 --isobands b.geojson --levels 1,2,5,10,20 -q -o d.tif
             OUTPUTS d.tif d.qml d.qmd b.geojson b.qml
             CHECK_CMD sh -c "${ST_CHECK} d.qml b.qml && grep -q 'singlebandpseudocolor' d.qml && grep -q 'incidents per km2' d.qml && grep -c '<category ' b.qml | grep -qx 5 && grep -q '<title>Incident density (incidents per km2' d.qmd")
add_cli_test(NAME styles-coverage-all ARGS coverage ${ST_IN} --facilities @DATA@/coverage_posts.geojson --radius 400
             --gaps gaps.geojson --covered-area cov.geojson --distance-raster dist.tif --cell 100 --incident-output inc.geojson -o dist.gpkg
             --hours 8-12
             OUTPUTS gaps.geojson gaps.qml cov.geojson cov.qml dist.tif dist.qml dist.qmd inc.geojson inc.qml inc.qmd dist.gpkg
             CHECK_CMD sh -c "${ST_CHECK} gaps.qml cov.qml dist.qml inc.qml && grep -q '08:00-12:00 only' inc.qmd && ogrinfo -ro -q dist.gpkg -sql \"SELECT identifier, description FROM gpkg_contents WHERE table_name = 'dist'\" | grep -q 'identifier (String) = Coverage of incidents by 3 facilities, per district, 08:00-12:00 only' && ogrinfo -ro -q dist.gpkg -sql 'SELECT styleQML FROM layer_styles' | grep -q 'labelsEnabled=\"1\"' && ! ogrinfo -ro -so dist.gpkg 2>&1 | grep -qi warning")
# the incidents' own time (null when absent) and category, and the temporal settings
add_cli_test(NAME styles-coverage-incident-time ARGS coverage -i @DATA@/coverage_times.csv --incidents-crs EPSG:32735 --category category
             --facilities @DATA@/coverage_posts.geojson --radius 400 --incident-output inc.gpkg -q
             OUTPUTS inc.gpkg
             CHECK_CMD sh -c "ogrinfo -ro -so inc.gpkg inc | grep -q 'time: DateTime' && ogrinfo -ro -so inc.gpkg inc | grep -q 'category: String' && ogrinfo -ro -q inc.gpkg -sql 'SELECT COUNT(*) AS n FROM inc WHERE time IS NULL' | grep -q 'n (Integer) = 1' && ogrinfo -ro -q inc.gpkg -sql \"SELECT category FROM inc WHERE incident = 4\" | grep -q 'category (String) = theft' && ogrinfo -ro -q inc.gpkg -sql 'SELECT COUNT(*) AS n FROM inc WHERE category IS NULL' | grep -q 'n (Integer) = 1' && ogrinfo -ro -q inc.gpkg -sql \"SELECT time FROM inc WHERE incident = 3\" | grep -q '2024/02/15 22:30:00' && ogrinfo -ro -q inc.gpkg -sql 'SELECT styleQML FROM layer_styles' | grep -q 'mode=\"1\" startField=\"time\"'")
