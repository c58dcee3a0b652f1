#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Compare a density raster dumped as XYZ (gdal_translate -of XYZ) with a reference CSV
# (cell_id,x,y,density): same pixel centres, values within TOL relative to the maximum.
import csv
import sys

xyz, ref, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
got = {}
with open(xyz) as f:
    for line in f:
        x, y, v = line.split()
        got[(round(float(x), 3), round(float(y), 3))] = float(v)
rows = list(csv.DictReader(open(ref)))
mx = max(float(r["density"]) for r in rows)
worst = 0.0
for r in rows:
    key = (round(float(r["x"]), 3), round(float(r["y"]), 3))
    if key not in got:
        sys.exit(f"pixel centre {key} missing from the raster")
    worst = max(worst, abs(got[key] - float(r["density"])) / mx)
print(f"{len(rows)} pixels, max |diff| / max = {worst:.3g}")
sys.exit(0 if len(got) == len(rows) and worst <= tol else 1)
