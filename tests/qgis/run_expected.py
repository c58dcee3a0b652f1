#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Expectations for check_project.py from a `hotmap run` folder: every layer of project.qgs
(from run.json: title, feature count; the renderer from the style in results.gpkg), the
districts labelled, and one print layout per map layer (the layer and the district outlines).

Usage: run_expected.py RUN_DIR > expected.json"""
import json, os, re, sqlite3, sys

d = sys.argv[1]
run = json.load(open(os.path.join(d, "run.json"), encoding="utf-8"))
db = sqlite3.connect(os.path.join(d, "results.gpkg"))
styles = dict(db.execute("SELECT f_table_name, styleQML FROM layer_styles"))
layers, layouts = {}, {}
base = next((l["title"] for l in run["layers"] if l["name"] == "districts"), None)
for l in run["layers"]:
    if "_" in l["name"] and any(l["name"].startswith(p["period"]) for p in run.get("periods", [])):
        continue
    if l["type"] == "raster":
        layers[l["title"]] = {"renderer": "singlebandpseudocolor"}
    else:
        m = re.search(r'<renderer-v2[^>]*\btype="([A-Za-z]+)"', styles.get(l["name"], ""))
        if not m and l["type"] != "table":
            sys.exit(f"run_expected: no style for layer {l['name']}")
        e = {"renderer": m.group(1) if m else None, "features": l["features"]}
        if l["name"] == "districts":
            e["labels"] = True
        if l["role"] in ("cube", "incident-output"):
            e["temporal"] = True  # step times / incident times drive QGIS's temporal controller
        layers[l["title"]] = e
    if l["type"] == "table" or l["role"] == "cube":
        continue
    n = 1 if l["title"] == base or base is None else 2
    step = [x for x in run["layers"] if x["step"] == l["step"]]
    poly = [x for x in step if x["type"] == "vector" and x["role"] != "cube" and x.get("geometry") == "polygon"]
    if l.get("geometry") == "point" and poly:
        n += 1
    layouts[l["name"]] = {"map_layers": n, "legend_layers": n}
if base is not None:
    districts = next(l for l in run["layers"] if l["name"] == "districts")
    outline = "Limites des quartiers" if run.get("lang") == "fr" else "District boundaries"
    layers[outline] = {"renderer": "categorizedSymbol", "features": districts["features"], "labels": True}
json.dump({"layers": layers, "layouts": layouts}, sys.stdout, indent=1, ensure_ascii=False)
