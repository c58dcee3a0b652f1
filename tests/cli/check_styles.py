#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Check QGIS styles (QML) written by hotmap: each parses as XML, has a renderer, and no class
# has an empty legend label. --labels FIELD: labelling on FIELD is enabled.
# Usage: check_styles.py [--labels FIELD] file.qml...
import sys
import xml.etree.ElementTree as ET

args = sys.argv[1:]
label_field = None
if args and args[0] == "--labels":
    label_field = args[1]
    args = args[2:]
if not args:
    sys.exit("no style given")
bad = []
for path in args:
    root = ET.parse(path).getroot()
    classes = root.findall(".//range") + root.findall(".//category") + root.findall(".//colorrampshader/item")
    if root.find(".//renderer-v2") is None and root.find(".//rasterrenderer") is None:
        bad.append(f"{path}: no renderer")
    if not classes:
        bad.append(f"{path}: no class")
    for c in classes:
        if not c.get("label", "").strip():
            bad.append(f"{path}: a class without a label: {ET.tostring(c, encoding='unicode').strip()}")
    if label_field is not None:
        ts = root.find(".//labeling/settings/text-style")
        if root.get("labelsEnabled") != "1" or ts is None or ts.get("fieldName") != label_field:
            bad.append(f"{path}: no enabled labelling on '{label_field}'")
if bad:
    sys.exit("\n".join(bad))
