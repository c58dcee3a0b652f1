# SPDX-License-Identifier: MIT
# Synthetic facilities for the coverage benchmark, in the kalemie synthetic city's lon/lat box:
# N points (lamps 40 m, posts 500 m, stations 800 m by share) as CSV, and patrol routes as GeoJSON.
# Usage: make_coverage_facilities.py N points.csv patrols.geojson
import json, random, sys
n, out_pts, out_lines = int(sys.argv[1]), sys.argv[2], sys.argv[3]
random.seed(5)
x0, x1, y0, y1 = 29.115, 29.265, -6.005, -5.855
with open(out_pts, "w") as f:
    f.write("id,type,lon,lat\n")
    for i in range(n):
        r = random.random()
        t = "station" if r < 0.005 else ("post" if r < 0.03 else "lamp")
        f.write("%d,%s,%.7f,%.7f\n" % (i + 1, t, random.uniform(x0, x1), random.uniform(y0, y1)))
feats = []
for k in range(20):
    x, y = random.uniform(x0, x1), random.uniform(y0, y1)
    pts = [[x, y]]
    for _ in range(30):
        x = min(x1, max(x0, x + random.uniform(-0.003, 0.003)))
        y = min(y1, max(y0, y + random.uniform(-0.003, 0.003)))
        pts.append([round(x, 7), round(y, 7)])
    feats.append({"type": "Feature", "properties": {"type": "patrol", "name": "route %d" % (k + 1)},
                  "geometry": {"type": "LineString", "coordinates": pts}})
json.dump({"type": "FeatureCollection", "features": feats}, open(out_lines, "w"))
