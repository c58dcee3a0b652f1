#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A synthetic street network over the kalemie synthetic city (EPSG:32735, 15 x 10 km): an
# irregular grid of blocks about 75 m across (junctions jittered by up to 20 m), one street in
# twelve left out (dead ends, bigger blocks) and a few long diagonal main roads that cross the
# grid without junctions (flyovers). Deterministic. Usage: make_street_network.py OUT.geojson [SPACING_M]
import json
import random
import sys

out = sys.argv[1]
spacing = float(sys.argv[2]) if len(sys.argv) > 2 else 75.0
rng = random.Random(14)
x0, y0, x1, y1 = 735000.0, 9338900.0, 750000.0, 9349075.0
nx, ny = int((x1 - x0) / spacing) + 1, int((y1 - y0) / spacing) + 1
node = {}
for i in range(nx):
    for j in range(ny):
        node[i, j] = (round(x0 + i * spacing + rng.uniform(-20, 20), 3), round(y0 + j * spacing + rng.uniform(-20, 20), 3))
feats = []


def add(coords, kind):
    feats.append({"type": "Feature", "properties": {"kind": kind},
                  "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}})


for i in range(nx):
    for j in range(ny):
        for di, dj in ((1, 0), (0, 1)):
            a, b = (i, j), (i + di, j + dj)
            if b in node and rng.random() >= 1 / 12:
                add([node[a], node[b]], "street")
for k in range(4):  # main roads: long lines with their own vertices only
    ya, yb = y0 + rng.uniform(0, y1 - y0), y0 + rng.uniform(0, y1 - y0)
    pts = [(x0 + t * (x1 - x0) / 50, ya + t * (yb - ya) / 50) for t in range(51)]
    add(pts, "main")
json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32735"}},
           "features": feats}, open(out, "w"))
print(f"{out}: {len(feats)} lines, {nx} x {ny} junctions", file=sys.stderr)
