#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Opens a hotmap QGIS project in headless QGIS and checks it against an expectations file:
# every layer valid, its renderer type, feature count, labels and temporal settings; every
# print layout exists, shows the expected layers and exports to a PNG that is not blank.
#
# Usage: check_project.py PROJECT.qgs EXPECTED.json [PNG_DIR]
# Exit codes: 0 pass, 1 fail, 77 skipped (python3-qgis not installed).
# Run with /usr/bin/python3 and QT_QPA_PLATFORM=offscreen.
import json
import os
import sys

try:
    from qgis.core import (Qgis, QgsApplication, QgsLayoutExporter, QgsLayoutItemLegend,
                           QgsLayoutItemMap, QgsLayoutItemPicture, QgsLayoutItemScaleBar,
                           QgsMapLayerType, QgsProject)
    from qgis.PyQt.QtGui import QImage
except ImportError as e:
    print(f"SKIPPED: python3-qgis is not importable ({e}); install python3-qgis to run this test")
    sys.exit(77)

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def distinct_colours(img, step=3):
    colours, inked = set(), 0
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            c = img.pixel(x, y) & 0xFFFFFF
            colours.add(c)
            if c != 0xFFFFFF:
                inked += 1
    return len(colours), inked


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__ or "usage: check_project.py PROJECT.qgs EXPECTED.json [PNG_DIR]")
        return 2
    path, expected_path = sys.argv[1], sys.argv[2]
    png_dir = sys.argv[3] if len(sys.argv) == 4 else os.path.dirname(os.path.abspath(path))
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)

    app = QgsApplication([], False)
    app.initQgis()
    messages = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: messages.append((tag, int(level), msg)))

    project = QgsProject.instance()
    check(project.read(path), f"QgsProject.read({path}) failed: {project.error()}")
    check(project.crs().isValid(), "project CRS is not valid")
    check(project.readBoolEntry("Paths", "/Absolute", True)[0] is False, "paths are not relative")

    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for layer_id, layer in project.mapLayers().items():
        # QGIS replaces ids it does not accept with random ones: the project would not be stable
        check(f"<id>{layer_id}</id>" in text, f"layer '{layer.name()}' got a new id {layer_id}")
    for name, exp in expected["layers"].items():
        layer = layers.get(name)
        check(layer is not None, f"layer '{name}' missing (have {sorted(layers)})")
        if layer is None:
            continue
        check(layer.isValid(), f"layer '{name}' is not valid (source {layer.source()})")
        check(layer.crs() == project.crs(), f"layer '{name}' CRS {layer.crs().authid()} != project CRS")
        renderer = layer.renderer()
        rtype = renderer.type() if renderer else None
        check(rtype == exp["renderer"], f"layer '{name}': renderer {rtype}, expected {exp['renderer']}")
        if layer.type() == QgsMapLayerType.VectorLayer:
            if "features" in exp:
                check(layer.featureCount() == exp["features"],
                      f"layer '{name}': {layer.featureCount()} features, expected {exp['features']}")
            if "labels" in exp:
                on = layer.labelsEnabled() and layer.labeling() is not None
                check(on == exp["labels"], f"layer '{name}': labels {on}, expected {exp['labels']}")
            if "temporal" in exp:
                active = layer.temporalProperties().isActive()
                check(active == exp["temporal"], f"layer '{name}': temporal {active}, expected {exp['temporal']}")
        print(f"layer '{name}': valid={layer.isValid()} renderer={rtype}")

    manager = project.layoutManager()
    for name, exp in expected["layouts"].items():
        layout = manager.layoutByName(name)
        check(layout is not None, f"layout '{name}' missing")
        if layout is None:
            continue
        items = layout.items()
        maps = [i for i in items if isinstance(i, QgsLayoutItemMap)]
        legends = [i for i in items if isinstance(i, QgsLayoutItemLegend)]
        bars = [i for i in items if isinstance(i, QgsLayoutItemScaleBar)]
        arrows = [i for i in items if isinstance(i, QgsLayoutItemPicture)]
        check(len(maps) == 1 and len(legends) == 1 and len(bars) == 1 and len(arrows) == 1,
              f"layout '{name}': {len(maps)} maps, {len(legends)} legends, {len(bars)} scale bars, {len(arrows)} pictures")
        follows = exp.get("follows_project", False)
        if maps and follows:
            check(not maps[0].keepLayerSet(), f"layout '{name}': map keeps a layer set, expected to follow the project")
        if legends and follows:
            check(legends[0].autoUpdateModel(), f"layout '{name}': legend does not follow the project")
        if maps and not follows:
            m = maps[0]
            check(m.keepLayerSet() and len(m.layers()) == exp["map_layers"],
                  f"layout '{name}': map shows {len(m.layers())} layers, expected {exp['map_layers']}")
            check(all(l.isValid() for l in m.layers()), f"layout '{name}': map layer set has an invalid layer")
        if legends and maps:
            lg = legends[0]
            check(lg.linkedMap() is maps[0], f"layout '{name}': legend not linked to the map")
        if legends and maps and not follows:
            n = len(lg.model().rootGroup().findLayers())
            check(n == exp["legend_layers"], f"layout '{name}': legend has {n} layers, expected {exp['legend_layers']}")
        if bars and maps:
            check(bars[0].linkedMap() is maps[0], f"layout '{name}': scale bar not linked to the map")
        if arrows:
            check(arrows[0].isMissingImage() is False, f"layout '{name}': north arrow picture missing")
        png = os.path.join(png_dir, f"layout_{name.replace(' ', '_')}.png")
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = 100
        settings.generateWorldFile = False
        settings.exportMetadata = False
        result = QgsLayoutExporter(layout).exportToImage(png, settings)
        check(result == QgsLayoutExporter.Success, f"layout '{name}': export failed ({result})")
        img = QImage(png)
        check(not img.isNull(), f"layout '{name}': {png} cannot be read")
        if not img.isNull():
            colours, inked = distinct_colours(img)
            samples = ((img.width() + 2) // 3) * ((img.height() + 2) // 3)
            print(f"layout '{name}': {img.width()}x{img.height()} px, {colours} colours, {100 * inked / samples:.1f} % inked -> {png}")
            check(colours >= 8, f"layout '{name}': only {colours} colours: blank export?")
            check(inked / samples > 0.05, f"layout '{name}': {100 * inked / samples:.1f} % non-white pixels: blank export?")

    # warnings QGIS logged while reading and rendering the project
    serious = [m for m in messages if m[1] >= int(Qgis.Warning)]
    for tag, level, msg in serious:
        print(f"QGIS {'warning' if level == int(Qgis.Warning) else 'error'} [{tag}]: {msg}")
    check(not serious, f"{len(serious)} warnings logged by QGIS")

    app.exitQgis()
    print("PASS" if not failures else f"{len(failures)} checks failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
