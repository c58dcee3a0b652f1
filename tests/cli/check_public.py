#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent check of a public run (`public = yes`), run by tests/cli/run.cmake.

    check_public.py RESULTS.gpkg SENSITIVE[,SENSITIVE] K

Reads every layer's fields and values with ogrinfo and checks what the profile promises:
- no field of the drop list (`incident`, `time`, `id`) in any layer;
- no column of a sensitive category (c_<name>, the name as its column spells it) in a layer
  below district level (every layer but `districts`, `hotspots_districts`, `*_districts`);
- no published count of 1 to K-1 in any integer count field (count, incidents, covered_inc*, c_*, n_before,
  n_after, p_*, h_*, m_*);
- a point layer's times are whole weeks (`week`) and hours 0..23 (`hour`).
Exit 0 when all hold, 1 with the failures listed.
"""
import re
import subprocess
import sys

DROP = {"incident", "time", "id"}
COUNT = re.compile(r"^(count|incidents|n_before|n_after|covered_inc|covered_inc_.+|c_.+|p_.+|h_.+|m_.+)$")


def column(name):
    return "c_" + re.sub(r"[^0-9a-z]", "_", name.lower())


def layers(path):
    out = subprocess.run(["ogrinfo", "-ro", "-q", path], check=True, capture_output=True, text=True).stdout
    return [m.group(1) for m in re.finditer(r"^\d+: (\S+)", out, re.M) if m.group(1) != "layer_styles"]


def features(path, layer):
    out = subprocess.run(["ogrinfo", "-ro", "-q", "-al", "-geom=NO", path, layer], check=True, capture_output=True, text=True).stdout
    fields, rows, row = [], [], None
    for line in out.splitlines():
        m = re.match(r"^(\w+): (\w+) \(", line)
        if m and row is None and m.group(1) not in ("Geometry", "Layer", "FID"):
            fields.append(m.group(1))
        if line.startswith("OGRFeature("):
            row = {}
            rows.append(row)
            continue
        m = re.match(r"^\s+(\w+) \((\w+)\) = (.*)$", line)
        if m and row is not None:
            row[m.group(1)] = (m.group(2), m.group(3))
    if not fields and rows:
        fields = list(rows[0])
    return fields, rows


def main():
    path, sensitive, k = sys.argv[1], [s for s in sys.argv[2].split(",") if s], int(sys.argv[3])
    bad, checked = [], 0
    for layer in layers(path):
        fields, rows = features(path, layer)
        names = set(fields) | {f for r in rows for f in r}
        district_level = layer == "districts" or layer.endswith("_districts")
        for f in sorted(names & DROP):
            bad.append(f"{layer}: field {f} is on the drop list")
        if not district_level:
            for s in sensitive:
                if column(s) in names:
                    bad.append(f"{layer}: sensitive category column {column(s)} below district level")
        for r in rows:
            types = {f: t for f, (t, _) in r.items()}
            r = {f: v for f, (_, v) in r.items()}
            for f, v in r.items():
                if COUNT.match(f) and types[f].startswith("Integer") and v not in ("(null)", ""):
                    try:
                        x = float(v)
                    except ValueError:
                        continue
                    checked += 1
                    if 0 < x < k:
                        bad.append(f"{layer}: {f} = {v} is below {k} and published")
            if "hour" in r and r["hour"] != "(null)" and not 0 <= int(r["hour"]) <= 23:
                bad.append(f"{layer}: hour {r['hour']}")
            if "week" in r and r["week"] != "(null)" and not re.match(r"^\d{4}/\d\d/\d\d 00:00:00$", r["week"]):
                bad.append(f"{layer}: week {r['week']} is not a day start")
    print(f"{len(layers(path))} layers, {checked} published counts checked")
    if bad:
        print("\n".join(bad[:30]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
