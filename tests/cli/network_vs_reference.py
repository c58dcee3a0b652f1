#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Compare hotmap's per-incident network coverage (CSV from --incident-output) with a
# reference CSV (id,nearest_post,network_m): incident = CSV line of the crime (id + 1),
# nearest_id = the post's position in the posts file, nearest_m within TOL metres.
import csv
import sys

got_path, ref_path, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
got = {int(r["incident"]): r for r in csv.DictReader(open(got_path))}
ref = list(csv.DictReader(open(ref_path)))
worst = 0.0
for r in ref:
    g = got.get(int(r["id"]) + 1)
    if g is None:
        sys.exit(f"crime {r['id']} missing")
    if int(g["nearest_id"]) != int(r["nearest_post"]):
        sys.exit(f"crime {r['id']}: nearest post {g['nearest_id']}, reference {r['nearest_post']}")
    worst = max(worst, abs(float(g["nearest_m"]) - float(r["network_m"])))
    if abs(float(g["snap_m"])) > 1e-3:
        sys.exit(f"crime {r['id']}: snapped {g['snap_m']} m")
print(f"{len(ref)} crimes, max |nearest_m - network_m| = {worst:.3g} m")
sys.exit(0 if len(got) == len(ref) and worst <= tol else 1)
