#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The QGIS Processing provider (qgis/hotmap_provider, issue 15) in real headless QGIS: installs
# it from the packaged ZIP into a temporary profile's python/plugins, loads it with QGIS's own
# plugin loader (metadata.txt, classFactory, initProcessing), lists the
# algorithms (one per command of `hotmap --usage-json`, parameters from the declarations), runs
# hotmap:density, hotmap:hotspots (districts from a loaded two-layer GeoPackage) and
# hotmap:coverage (two facility layers) through Processing on the Kalemie sample and the same
# commands with the CLI directly, and checks that the outputs are equal (GeoTIFF, GeoJSON and
# .qml byte for byte, GeoPackage feature for feature and style for style), that hotmap:info's
# STDOUT is the CLI's report, that the loaded
# layers carry hotmap's styles and titles, that hotmap:run adds the layers of the project it
# wrote, that a bad input is hotmap's one-line error and that cancelling interrupts the run
# and leaves no output.
#
# Usage: check_provider.py --hotmap BIN --zip hotmap_provider.zip --samples DIR --out DIR
# Exit codes: 0 pass, 1 fail, 77 skipped (python3-qgis not installed).
# Run with /usr/bin/python3 and QT_QPA_PLATFORM=offscreen.
import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

try:
    from qgis.core import (QgsApplication, QgsProcessingException, QgsProcessingFeedback,
                           QgsProcessingParameterDefinition, QgsProject, QgsRasterLayer, QgsVectorLayer)
except ImportError as e:
    print(f"SKIPPED: python3-qgis is not importable ({e}); install python3-qgis to run this test")
    sys.exit(77)

failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)
    return ok


class Feedback(QgsProcessingFeedback):
    """Keeps what the algorithm reports; optionally cancels at the first progress line."""

    def __init__(self, cancel_at_text=None):
        super().__init__()
        self.infos, self.errors, self.commands, self.progress, self.texts = [], [], [], [], []
        self.cancel_at_text = cancel_at_text
        self.progressChanged.connect(lambda p: self.progress.append(p))

    def pushInfo(self, text):  # noqa: N802
        self.infos.append(text)

    def pushCommandInfo(self, text):  # noqa: N802
        self.commands.append(text)

    def reportError(self, text, fatal=False):  # noqa: N802
        self.errors.append(text)

    def setProgressText(self, text):  # noqa: N802
        self.texts.append(text)
        if self.cancel_at_text and self.cancel_at_text in text:
            self.cancel()


def cli(hotmap, *args):
    p = subprocess.run([hotmap, *args, "-q"], capture_output=True, text=True, timeout=600)
    check(p.returncode == 0 and not p.stderr, f"hotmap {' '.join(args[:1])} (CLI) exit {p.returncode} {p.stderr.strip()}")


def qmd_title(path):
    import re
    with open(path, encoding="utf-8") as f:
        m = re.search(r"<title>([^<]*)</title>", f.read())
    return m.group(1).replace("&amp;", "&") if m else None


def gpkg_title(path):
    from osgeo import ogr
    ds = ogr.Open(path)  # kept while its layer is used (GDAL's Python bindings)
    return ds.GetLayerByName("hotspots").GetMetadataItem("IDENTIFIER")


def classes(layer):
    """(value, label) of a layer's categories or colour ramp stops; None without them."""
    r = layer.renderer() if layer is not None else None
    if hasattr(r, "categories"):
        return [(x.value(), x.label()) for x in r.categories()]
    if hasattr(r, "shader"):
        return [(i.value, i.label) for i in r.shader().rasterShaderFunction().colorRampItemList()]
    return None


def gpkg_rows(path):
    """Every feature of every layer (attributes and geometry WKB) and every stored style."""
    from osgeo import ogr
    ds = ogr.Open(path)
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayerByIndex(i)
        name = lyr.GetName()
        if name == "layer_styles":
            out[name] = sorted((f.GetField("f_table_name"), f.GetField("styleName"), f.GetField("styleQML"),
                                f.GetField("useAsDefault")) for f in lyr)
            continue
        rows = []
        for f in lyr:
            g = f.GetGeometryRef()
            rows.append((f.GetFID(), tuple(f.GetField(j) for j in range(f.GetFieldCount())),
                         bytes(g.ExportToWkb()) if g else None))
        defn = lyr.GetLayerDefn()
        out[name] = ([defn.GetFieldDefn(j).GetName() for j in range(defn.GetFieldCount())], rows)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hotmap", required=True)
    ap.add_argument("--zip", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    hotmap = os.path.abspath(a.hotmap)
    out = os.path.abspath(a.out)
    shutil.rmtree(out, ignore_errors=True)
    for d in ("qgis", "cli", "profile/python/plugins"):
        os.makedirs(os.path.join(out, d))
    kalemie = os.path.join(os.path.abspath(a.samples), "kalemie")
    incidents, districts = os.path.join(kalemie, "incidents.csv"), os.path.join(kalemie, "districts.geojson")

    # "Install from ZIP": the archive unpacked into the profile's python/plugins
    plugins = os.path.join(out, "profile", "python", "plugins")
    with zipfile.ZipFile(a.zip) as z:
        z.extractall(plugins)
    check(os.path.isfile(os.path.join(plugins, "hotmap_provider", "metadata.txt")), "the ZIP holds hotmap_provider/metadata.txt")
    sys.path.insert(0, plugins)
    sys.path.append("/usr/share/qgis/python/plugins")
    # the binary found on PATH, the default
    os.environ["PATH"] = os.path.dirname(hotmap) + os.pathsep + os.environ.get("PATH", "")

    app = QgsApplication([], False, os.path.join(out, "profile"))
    app.initQgis()
    # every QGIS object of the checks is gone before exitQgis (a layer outliving it crashes)
    run_checks(hotmap, out, plugins, kalemie)
    QgsProject.instance().clear()
    app.exitQgis()
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def run_checks(hotmap, out, plugins, kalemie):
    incidents, districts = os.path.join(kalemie, "incidents.csv"), os.path.join(kalemie, "districts.geojson")
    import processing
    from processing.core.Processing import Processing
    from processing.core.ProcessingConfig import ProcessingConfig
    Processing.initialize()
    # as QGIS does at start-up: find the plugins of the profile, read metadata.txt, load the
    # package (classFactory) and, for hasProcessingProvider=yes, call initProcessing
    import qgis.utils
    qgis.utils.plugin_paths = [plugins]
    qgis.utils.updateAvailablePlugins()
    check("hotmap_provider" in qgis.utils.available_plugins
          and qgis.utils.pluginMetadata("hotmap_provider", "hasProcessingProvider") == "yes"
          and qgis.utils.pluginMetadata("hotmap_provider", "qgisMinimumVersion") == "3.22",
          f"QGIS finds the plugin and its metadata: {qgis.utils.available_plugins}")
    check(qgis.utils.loadPlugin("hotmap_provider") and qgis.utils.startProcessingPlugin("hotmap_provider"),
          "QGIS loads the plugin and starts its Processing part")
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("hotmap")
    check(provider is not None, "provider 'hotmap' registered")
    usage = json.loads(subprocess.run([hotmap, "--usage-json"], capture_output=True, text=True, check=True).stdout)
    commands = [c["name"] for c in usage["commands"]]
    algs = sorted(alg.id() for alg in provider.algorithms())
    check(algs == sorted("hotmap:" + c for c in commands), f"one algorithm per command (PATH): {algs}")

    # the binary setting: a wrong path empties the provider with a clear reason, the right one restores it
    ProcessingConfig.setSettingValue("HOTMAP_BINARY", os.path.join(plugins, "hotmap_provider", "metadata.txt"))
    provider.refreshAlgorithms()
    check(not provider.algorithms() and "is not an executable file" in (provider.problem or ""),
          f"a wrong binary setting: no algorithm, reason '{provider.problem}'")
    ProcessingConfig.setSettingValue("HOTMAP_BINARY", hotmap)
    ProcessingConfig.setSettingValue("HOTMAP_THREADS", 2)
    provider.refreshAlgorithms()
    check(len(provider.algorithms()) == len(commands), "the binary setting: algorithms back")

    # parameters come from the declarations
    density = registry.algorithmById("hotmap:density")
    spec = next(c for c in usage["commands"] if c["name"] == "density")
    own = [o["name"].replace("-", "_").upper() for o in spec["options"] if o["group"] != "Common"]
    names = [p.name() for p in density.parameterDefinitions()]
    check(names == own, f"density parameters = its non-common options: {names}")
    kinds = {p.name(): p.type() for p in density.parameterDefinitions()}
    check(kinds.get("OUTPUT") == "rasterDestination" and kinds.get("ISOBANDS") == "vectorDestination"
          and kinds.get("KERNEL") == "enum" and kinds.get("EDGE_CORRECT") == "boolean" and kinds.get("CELL") == "number"
          and kinds.get("INCIDENTS") == "vector" and kinds.get("DISTRICTS") == "vector", f"density parameter types: {kinds}")
    kernel = density.parameterDefinition("KERNEL")
    check(kernel.options() == ["quartic", "epanechnikov", "triweight", "uniform", "gaussian"] and kernel.defaultValue() == 0,
          "density KERNEL: the five kernels, quartic by default")
    advanced = sorted(p.name() for p in density.parameterDefinitions()
                      if p.flags() & QgsProcessingParameterDefinition.FlagAdvanced)
    check("X" in advanced and "CRS" in advanced and "INCIDENTS" not in advanced and "CELL" not in advanced
          and "ISOBANDS" not in advanced, f"density: the shared groups' options are advanced: {advanced}")
    threads_param = density.parameterDefinition("THREADS")
    check(threads_param is None, "common options (threads, verbose, ...) are no parameters")
    run_alg = registry.algorithmById("hotmap:run")
    rk = {p.name(): p.type() for p in run_alg.parameterDefinitions()}
    check(rk.get("CONFIG") == "file" and rk.get("OUTPUT") == "folderDestination", f"run parameters: {rk}")
    hs = registry.algorithmById("hotmap:hotspots").parameterDefinition("PERMUTATIONS")
    check(hs.minimum() == 0 and hs.maximum() == 99999, "hotspots PERMUTATIONS range 0..99999")

    # density: Processing (loading the results) and the CLI, the same bytes
    q, c = os.path.join(out, "qgis"), os.path.join(out, "cli")
    fb = Feedback()
    res = processing.runAndLoadResults("hotmap:density", {
        "INCIDENTS": incidents, "DISTRICTS": districts, "CELL": 25, "BANDWIDTH": "400", "EDGE_CORRECT": True,
        "OUTPUT": os.path.join(q, "density.tif"), "ISOBANDS": os.path.join(q, "isobands.geojson")}, feedback=fb)
    check(res.get("OUTPUT") == os.path.join(q, "density.tif"), f"density result {res}")
    check(fb.commands and "--threads 2" in fb.commands[0] and " --cell 25 " in fb.commands[0],
          f"the command line shown: {fb.commands}")
    check(100 in fb.progress and any("raster:" in i for i in fb.infos), "density: progress reached 100%, -v lines in the log")
    cli(hotmap, "density", "-i", incidents, "-d", districts, "--cell", "25", "--bandwidth", "400", "--edge-correct",
        "-o", os.path.join(c, "density.tif"), "--isobands", os.path.join(c, "isobands.geojson"), "--threads", "2")
    for f in ("density.tif", "density.qml", "isobands.geojson", "isobands.qml"):
        same = os.path.isfile(os.path.join(q, f)) and filecmp.cmp(os.path.join(q, f), os.path.join(c, f), shallow=False)
        check(same, f"density: {f} equal byte for byte")

    # hotspots to a GeoPackage (style in layer_styles), the districts a loaded layer inside a
    # two-layer GeoPackage: hotmap gets the file and --district-layer
    two = os.path.join(out, "two_layers.gpkg")
    from osgeo import gdal
    for i, name in enumerate(("other", "city_districts")):
        gdal.VectorTranslate(two, districts, format="GPKG", layerName=name, accessMode="update" if i else None)
    loaded_districts = QgsVectorLayer(two + "|layername=city_districts", "districts", "ogr")
    check(loaded_districts.isValid(), "districts loaded from a two-layer GeoPackage")
    QgsProject.instance().addMapLayer(loaded_districts)
    fb = Feedback()
    processing.runAndLoadResults("hotmap:hotspots", {
        "INCIDENTS": incidents, "DISTRICTS": loaded_districts, "DISTRICT_LAYER": "other", "CELL": 250, "DISTANCE": "750",
        "OUTPUT": os.path.join(q, "hotspots.gpkg")}, feedback=fb)
    check(fb.commands and f"--districts {two}" in fb.commands[0] and fb.commands[0].count("--district-layer") == 1
          and "--district-layer city_districts" in fb.commands[0], f"hotspots: the loaded layer's file and name: {fb.commands}")
    cli(hotmap, "hotspots", "-i", incidents, "-d", two, "--district-layer", "city_districts", "--cell", "250",
        "--distance", "750", "-o", os.path.join(c, "hotspots.gpkg"), "--threads", "2")
    gq, gc = gpkg_rows(os.path.join(q, "hotspots.gpkg")), gpkg_rows(os.path.join(c, "hotspots.gpkg"))
    sizes = ", ".join(f"{k}: {len(v) if k == 'layer_styles' else len(v[1])}" for k, v in gq.items())
    check(gq == gc and "layer_styles" in gq, f"hotspots: GeoPackage equal feature for feature and style for style ({sizes})")
    layer = next(iter(gq))
    check(any("Gi_Bin" in str(r) for r in [gq[layer][0]]), f"hotspots: Gi_Bin field in {gq[layer][0]}")

    # coverage: repeatable vector inputs (two facility layers) and a list value (--radius)
    fac = [os.path.join(kalemie, "facilities.geojson"), os.path.join(kalemie, "patrols.geojson")]
    radius = "station=800,post=500,lamp=40,patrol=150"
    fb = Feedback()
    processing.run("hotmap:coverage", {"INCIDENTS": incidents, "DISTRICTS": districts, "FACILITIES": fac,
                                       "FACILITY_TYPE": "type", "RADIUS": radius, "OUTPUT": os.path.join(q, "coverage.geojson"),
                                       "GAPS": os.path.join(q, "gaps.geojson")}, feedback=fb)
    check(fb.commands and fb.commands[0].count("--facilities ") == 2 and f"--radius {radius}" in fb.commands[0],
          f"coverage: one --facilities per layer, --radius as one value: {fb.commands}")
    cli(hotmap, "coverage", "-i", incidents, "-d", districts, "--facilities", fac[0], "--facilities", fac[1],
        "--facility-type", "type", "--radius", radius, "-o", os.path.join(c, "coverage.geojson"),
        "--gaps", os.path.join(c, "gaps.geojson"), "--threads", "2")
    for f in ("coverage.geojson", "coverage.qml", "gaps.geojson", "gaps.qml"):
        same = os.path.isfile(os.path.join(q, f)) and filecmp.cmp(os.path.join(q, f), os.path.join(c, f), shallow=False)
        check(same, f"coverage: {f} equal byte for byte")

    # info: what hotmap prints on stdout is the STDOUT output
    res = processing.run("hotmap:info", {"INCIDENTS": incidents, "JSON": True}, feedback=Feedback())
    direct = subprocess.run([hotmap, "info", "-i", incidents, "--json", "-q"], capture_output=True, text=True).stdout
    check(json.loads(res["STDOUT"]) == json.loads(direct), "info: STDOUT is the JSON of 'hotmap info --json'")

    # the loaded layers: hotmap's titles (.qmd sidecar, GeoPackage identifier) and renderers
    project = QgsProject.instance()
    titles = {"density": qmd_title(os.path.join(c, "density.qmd")),
              "density isobands": qmd_title(os.path.join(c, "isobands.qmd")),
              "hotspots": gpkg_title(os.path.join(c, "hotspots.gpkg"))}
    check(all(t and len(t) > 15 for t in titles.values()), f"the CLI wrote titles: {titles}")
    by_title = {lyr.name(): lyr for lyr in project.mapLayers().values()}
    loaded = {key: by_title.get(title) for key, title in titles.items()}
    check(all(loaded.values()), f"loaded layers titled as hotmap wrote: {sorted(by_title)}")
    check(loaded["hotspots"] is not None and "FDR" in loaded["hotspots"].metadata().title()
          and loaded["hotspots"].metadata().abstract().startswith("Gi_Bin"), "hotspots: the GeoPackage's title and abstract as metadata")
    # hotmap's styles: a pseudocolour raster, isoband classes, Gi* confidence bins
    expect = {"density": "singlebandpseudocolor", "density isobands": "categorizedSymbol", "hotspots": "categorizedSymbol"}
    for name, want in expect.items():
        lyr = loaded.get(name)
        got = lyr.renderer().type() if lyr is not None and lyr.renderer() else None
        check(got == want, f"loaded '{name}': renderer {got} (hotmap's style: {want})")
    # the same classes as QGIS opening the CLI's files with their default styles (.qml, layer_styles)
    for name, path in (("hotspots", "hotspots.gpkg"), ("density isobands", "isobands.geojson")):
        want = classes(QgsVectorLayer(os.path.join(c, path), "ref", "ogr"))
        got = classes(loaded.get(name))
        check(want and len(want) >= 3 and got == want, f"loaded '{name}': the classes of hotmap's style {[lb for _v, lb in want]}")
    want = classes(QgsRasterLayer(os.path.join(c, "density.tif"), "ref"))
    check(want and len(want) >= 3 and classes(loaded.get("density")) == want,
          f"loaded 'density': the colour ramp of density.qml ({len(want or [])} stops)")

    # bad input: a value only hotmap can judge gives hotmap's one-line error; a missing file is
    # refused by QGIS before anything runs
    def failure(alg, params):
        try:
            processing.run(alg, params, feedback=Feedback())
        except QgsProcessingException as e:  # the GUI shows the same text (feedback.reportError)
            return str(e)
        return None

    message = failure("hotmap:density", {"INCIDENTS": incidents, "BANDWIDTH": "wide", "OUTPUT": os.path.join(q, "bad.tif")})
    check(message is not None and message.startswith("hotmap density: error: --bandwidth 'wide'") and "\n" not in message,
          f"bad value: one line, hotmap's error: {message!r}")
    check(not os.path.exists(os.path.join(q, "bad.tif")), "bad value: no output")
    message = failure("hotmap:hotspots", {"INCIDENTS": os.path.join(out, "missing.csv"), "CELL": 250,
                                          "OUTPUT": os.path.join(q, "bad.gpkg")})
    check(message is not None and "INCIDENTS" in message, f"missing input file: refused ({message!r})")
    check(not os.path.exists(os.path.join(q, "bad.gpkg")), "missing input file: no output")

    # cancelling hotmap:run at its first step: SIGINT, hotmap removes its staged outputs
    cancel_dir = os.path.join(out, "run-cancelled")
    fb = Feedback(cancel_at_text="1/")
    try:
        res = processing.run("hotmap:run", {"CONFIG": os.path.join(kalemie, "analysis.ini"), "OUTPUT": cancel_dir},
                             feedback=fb)
    except Exception as e:  # a cancelled run may be reported as an error by Processing
        res = {"error": str(e)}
    check(fb.isCanceled() and res.get("OUTPUT") is None, f"cancel: the run stopped (progress {fb.texts[:3]})")
    left = sorted(os.listdir(cancel_dir)) if os.path.isdir(cancel_dir) else []
    check(not any(f.endswith((".gpkg", ".qgs", ".html")) for f in left), f"cancel: no output left in the folder: {left}")

    # hotmap:run: the project's layers added to the current project, styled, in its groups
    run_dir = os.path.join(out, "run")
    fb = Feedback()
    before = set(project.mapLayers())
    res = processing.run("hotmap:run", {"CONFIG": os.path.join(kalemie, "analysis.ini"), "OUTPUT": run_dir}, feedback=fb)
    check(res.get("OUTPUT") == run_dir and os.path.isfile(os.path.join(run_dir, "project.qgs")), f"run result {res}")
    steps = [t for t in fb.texts if "/" in t]
    check(len(steps) >= 10 and fb.progress and max(fb.progress) == 100, f"run: progress per step ({len(steps)} steps)")
    written = QgsProject()
    written.read(os.path.join(run_dir, "project.qgs"))
    want = sorted((lyr.name(), lyr.renderer().type() if hasattr(lyr, "renderer") and lyr.renderer() else None)
                  for lyr in written.mapLayers().values())
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    got = sorted((lyr.name(), lyr.renderer().type() if lyr.renderer() else None) for lyr in added)
    check(got == want and len(got) >= 10, f"run: {len(got)} layers added with the project's names and renderers")
    check(all(lyr.isValid() for lyr in added), "run: every added layer is valid")
    check(sum(1 for _n, r in got if r == "singleSymbol") < len(got) / 2, "run: the layers are styled (not default symbols)")
    group = project.layerTreeRoot().children()[0]
    check(group.name() == written.title() and len(group.findLayers()) == len(got), f"run: one group '{group.name()}'")

    check(qgis.utils.unloadPlugin("hotmap_provider") and registry.providerById("hotmap") is None,
          "unloading the plugin removes the provider")


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    # Python's own finalization after exitQgis can crash in PyQGIS 3.22 (a raster layer
    # wrapper freed after QGIS is gone, once a Processing run has raised): every check is done
    # and QGIS is shut down, so leave without it
    os._exit(rc)
