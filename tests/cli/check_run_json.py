#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a hotmap run.json: step and layer counts, the row accounting balanced, checksums."""
import argparse, hashlib, json, sys

ap = argparse.ArgumentParser()
ap.add_argument("path")
ap.add_argument("--steps", type=int, required=True)
ap.add_argument("--layers", type=int, required=True)
ap.add_argument("--read", type=int, required=True)
ap.add_argument("--step-incidents", action="append", default=[], help="STEP=N: incidents after the step's filters")
ap.add_argument("--periods", help="LABEL=N,...: the --each periods and the incidents of each period's first step")
ap.add_argument("--period-steps", type=int, help="steps computed per period, at least one period having this many")
a = ap.parse_args()
j = json.load(open(a.path))
def fail(msg):
    sys.exit(f"{a.path}: {msg}")
if len(j["steps"]) != a.steps: fail(f"{len(j['steps'])} steps, expected {a.steps}")
if len(j["layers"]) != a.layers: fail(f"{len(j['layers'])} layers, expected {a.layers}")
acc = j["accounting"]
if acc["read"] != a.read: fail(f"read {acc['read']}, expected {a.read}")
if acc["read"] != acc["accepted"] + acc["filtered"] + acc["rejected"]: fail("accounting does not add up")
if sum(acc["rejected_by"].values()) != acc["rejected"]: fail("rejected_by does not add up")
for k in ("gdal", "geos", "proj"):
    if not j["versions"].get(k): fail(f"no {k} version")
src = j["inputs"]["incidents"]
if hashlib.sha256(open(src["path"], "rb").read()).hexdigest() != src["sha256"]: fail("incidents checksum differs")
steps = {s["id"]: s for s in j["steps"]}
for si in a.step_incidents:
    sid, n = si.split("=")
    if steps[sid]["incidents"] != int(n): fail(f"step {sid}: {steps[sid]['incidents']} incidents, expected {n}")
for s in j["steps"]:
    if s["incidents"] > acc["accepted"]: fail(f"step {s['id']} has more incidents than accepted")
names = [l["name"] for l in j["layers"]]
if len(set(names)) != len(names): fail("duplicate layer names")
if a.periods:
    want = [x.split("=") for x in a.periods.split(",")]
    got = [(p["period"], p["steps"][0]["incidents"] if p["steps"] else 0) for p in j.get("periods", [])]
    if got != [(l, int(n)) for l, n in want]: fail(f"periods {got}, expected {want}")
    if sum(int(n) for _, n in want) != acc["accepted"]: fail("the periods' incidents do not add up to the accepted incidents")
    if a.period_steps and max(len(p["steps"]) for p in j["periods"]) != a.period_steps: fail("steps per period")
print("ok")
