#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent check of --geomask, run by tests/cli/coverage.cmake.

    check_geomask.py TRUE.geojson MASKED.geojson DISTRICTS.geojson MIN MAX

TRUE and MASKED are the same per-incident layer written without and with --geomask (features
paired by their `incident` field); DISTRICTS is in the same CRS. Every masked point must lie
MIN to MAX from its true point (to 1e-6), in the same district as the true point (ray casting on
the district polygons, holes included) when the true point is in one, and no two runs' points
may coincide with the true ones. Prints the counts; exit 0 when all hold, 1 with the first
failures listed.
"""
import json
import math
import sys


def rings_of(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def in_ring(x, y, ring):
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def district_of(x, y, districts):
    for name, polys in districts:
        for poly in polys:
            if in_ring(x, y, poly[0]) and not any(in_ring(x, y, h) for h in poly[1:]):
                return name
    return None


def points(path):
    with open(path, encoding="utf-8") as f:
        fc = json.load(f)
    return {ft["properties"]["incident"]: ft["geometry"]["coordinates"] for ft in fc["features"]}


def main():
    true_pts, masked, (dpath, lo, hi) = points(sys.argv[1]), points(sys.argv[2]), (sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
    with open(dpath, encoding="utf-8") as f:
        districts = [(ft["properties"].get("name") or ft["properties"].get("district"), rings_of(ft["geometry"])) for ft in json.load(f)["features"]]
    bad = []
    if set(true_pts) != set(masked):
        bad.append(f"the layers hold different incidents ({len(true_pts)} and {len(masked)})")
    same = outside = 0
    for k in sorted(set(true_pts) & set(masked)):
        (x, y), (u, v) = true_pts[k][:2], masked[k][:2]
        d = math.hypot(u - x, v - y)
        if not (lo - 1e-6 <= d <= hi + 1e-6):
            bad.append(f"incident {k}: moved {d} m, not in [{lo}, {hi}]")
        dt = district_of(x, y, districts)
        if dt is None:
            outside += 1
        elif district_of(u, v, districts) != dt:
            bad.append(f"incident {k}: left its district {dt}")
        else:
            same += 1
    print(f"{len(masked)} points, {same} checked in their own district, {outside} in no district")
    if bad:
        print("\n".join(bad[:20]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
