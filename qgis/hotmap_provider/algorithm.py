# SPDX-License-Identifier: MIT
"""One QgsProcessingAlgorithm per hotmap command, built from its --usage-json entry: every
option the command declares becomes a parameter (the Common group aside: the provider sets
those itself), the run builds the argv from the values, and the results are loaded styled."""
import math
import os

from qgis.core import (QgsLayerTree, QgsProcessing, QgsProcessingAlgorithm, QgsProcessingParameterDefinition,
                       QgsProcessingException, QgsProcessingLayerPostProcessorInterface,
                       QgsProcessingOutputString, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterString,
                       QgsProcessingParameterVectorDestination, QgsProcessingParameterVectorLayer,
                       QgsProcessingUtils, QgsProject)

from . import cli

# options of the "Common" group the provider sets itself (always --overwrite: QGIS has already
# asked before replacing a chosen file; -v for the log; --progress; --threads from the settings)
COMMON_GROUP = "Common"
# the option groups many commands share: in these, what is neither a path nor required (--x,
# --time-format, --crs, -f, --min-count, ...) goes under "Advanced parameters" in the dialog
SHARED_GROUPS = {"Input", "Districts", "Working CRS", "Output", "Publication"}
# what hotmap reads as it is (any OGR vector source, CSV with its own reader); a layer of
# another kind (delimited text, memory, PostGIS, a filtered layer) is first exported to GeoPackage
VECTOR_FORMATS = ["csv", "gpkg", "geojson", "json", "shp", "fgb", "sqlite", "gml", "kml", "tab", "mif"]
FILE_FILTERS = {
    "vector": "Vector files and CSV (*.csv *.gpkg *.geojson *.json *.shp *.fgb *.kml *.gml *.sqlite *.tab);;All files (*.*)",
    "raster": "GeoTIFF (*.tif *.tiff);;All files (*.*)",
    "table": "CSV files (*.csv);;All files (*.*)",
    "config": "hotmap config files (*.ini *.cfg *.conf);;All files (*.*)",
}


def param_name(option):
    """'edge-correct' -> 'EDGE_CORRECT' (QGIS convention); -o is 'OUTPUT'."""
    return option.replace("-", "_").upper()


def title_of(option):
    return option.replace("-", " ").capitalize()


def number_default(o):
    """The declared default as a number when it is one inside the range, else None (e.g. --cell's
    "0" that means "not given", or "auto", "all cores")."""
    try:
        v = float(o["default"])
    except (TypeError, ValueError):
        return None
    lo, hi = o.get("min"), o.get("max")
    if lo is not None and (v < lo or (o.get("min_open") and v == lo)):
        return None
    if hi is not None and v > hi:
        return None
    return v


def unset(v):
    return v is None or v == "" or (hasattr(v, "isNull") and v.isNull())


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Gives a result layer its hotmap style (the .qml sidecar, or the GeoPackage's
    layer_styles) and hotmap's title once QGIS has loaded it (`title` when it wrote none)."""
    # QGIS keeps only a pointer: Python must keep the objects alive
    alive = []

    @classmethod
    def create(cls, title):
        p = cls(title)
        cls.alive.append(p)
        return p

    def __init__(self, title):
        super().__init__()
        self.title = title

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        apply_style(layer, feedback)
        layer.setName(apply_metadata(layer) or self.title)
        # called once per layer: no longer needed once this returns
        if self in StylePostProcessor.alive:
            StylePostProcessor.alive.remove(self)


def apply_style(layer, feedback=None):
    """The style hotmap wrote for this layer: path.qml beside a file (GeoJSON, Shapefile,
    GeoTIFF), or the default style in a GeoPackage's layer_styles table; QGIS finds both as the
    layer's default style (Processing loads results without it). True when one was applied."""
    message, ok = layer.loadDefaultStyle()
    if not ok and feedback is not None:
        feedback.pushWarning(f"{layer.source()}: no hotmap style loaded ({message})")
    return ok


def apply_metadata(layer):
    """hotmap's title and abstract of this layer (the .qmd sidecar of a file, `identifier` and
    `description` of a GeoPackage table) as the layer's metadata; returns the title or None."""
    parts = layer.source().split("|")
    path = parts[0]
    sidecar = os.path.splitext(path)[0] + ".qmd"
    if os.path.isfile(sidecar):
        _msg, ok = layer.loadNamedMetadata(sidecar)
        return layer.metadata().title() or None if ok else None
    if path.lower().endswith(".gpkg"):
        from osgeo import ogr
        ds = ogr.Open(path)
        if ds is None:
            return None
        name = next((p.split("=", 1)[1] for p in parts[1:] if p.startswith("layername=")), None)
        table = ds.GetLayerByName(name) if name else ds.GetLayer(0)
        title = table.GetMetadataItem("IDENTIFIER") if table is not None else None
        if not title or title == table.GetName():
            return None
        md = layer.metadata()
        md.setTitle(title)
        md.setAbstract(table.GetMetadataItem("DESCRIPTION") or "")
        layer.setMetadata(md)
        return title
    return None


class HotmapAlgorithm(QgsProcessingAlgorithm):
    """`hotmap COMMAND` as a Processing algorithm. `spec` is the command's --usage-json entry,
    `settings` a callable returning (binary, threads) or raising cli.HotmapError."""

    def __init__(self, spec, settings):
        super().__init__()
        self.spec = spec
        self.settings = settings
        self.options = [o for o in spec["options"] if o["group"] != COMMON_GROUP]
        self.outputs = {}

    def createInstance(self):  # noqa: N802
        return HotmapAlgorithm(self.spec, self.settings)

    def name(self):
        return self.spec["name"]

    def displayName(self):  # noqa: N802
        return f"{self.spec['name']}: {self.spec['description']}"

    def shortHelpString(self):  # noqa: N802
        return f"<p>{self.spec['help']}</p><p><code>{self.spec['synopsis']}</code></p>"

    def initAlgorithm(self, config=None):  # noqa: N802
        for o in self.options:
            p = self.parameter_for(o)
            p.setHelp(o["help"])
            if o["group"] in SHARED_GROUPS and not o["required"] and o["kind"] not in ("input_path", "output_path"):
                p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self.addOutput(QgsProcessingOutputString("STDOUT", "hotmap's report (standard output)"))

    def parameter_for(self, o):
        name, title, kind = param_name(o["name"]), title_of(o["name"]), o["kind"]
        optional = not o["required"]
        path = o.get("path")
        if kind == "flag":
            return QgsProcessingParameterBoolean(name, title, False, True)
        if kind in ("integer", "number"):
            t = QgsProcessingParameterNumber.Integer if kind == "integer" else QgsProcessingParameterNumber.Double
            default = number_default(o)
            p = QgsProcessingParameterNumber(name, title, t, default, optional or default is None)
            if o.get("min") is not None and math.isfinite(o["min"]):
                p.setMinimum(o["min"])
            if o.get("max") is not None and math.isfinite(o["max"]) and o["max"] < 1e15:
                p.setMaximum(o["max"])
            return p
        if kind == "choice":
            choices = o["choices"]
            default = choices.index(o["default"]) if o["default"] in choices else None
            return QgsProcessingParameterEnum(name, title, choices, False, default, optional or default is None)
        if kind == "list" and path == "vector":
            return QgsProcessingParameterMultipleLayers(name, title, QgsProcessing.TypeVector, None, optional)
        if kind == "list" and path:
            return QgsProcessingParameterMultipleLayers(name, title, QgsProcessing.TypeFile, None, optional)
        if kind == "input_path" and path == "vector":
            # a loaded layer or a file: hotmap gets the file (and the layer name inside it)
            return QgsProcessingParameterVectorLayer(name, title, [QgsProcessing.TypeVector], None, optional)
        if kind == "input_path":
            behavior = QgsProcessingParameterFile.Folder if path == "folder" else QgsProcessingParameterFile.File
            return QgsProcessingParameterFile(name, title, behavior, "", None, optional, FILE_FILTERS.get(path, ""))
        if kind == "output_path":
            create = o["required"] or o["name"] == "output"
            if path == "vector":
                return QgsProcessingParameterVectorDestination(name, title, QgsProcessing.TypeVectorAnyGeometry, None,
                                                               optional, create)
            if path == "raster":
                return QgsProcessingParameterRasterDestination(name, title, None, optional, create)
            if path == "folder":
                return QgsProcessingParameterFolderDestination(name, title, None, optional, create)
            return QgsProcessingParameterFileDestination(name, title, FILE_FILTERS.get(path, ""), None, optional, create)
        # text, and lists of values (passed as one value: hotmap's lists take a,b,c)
        default = o["default"] if kind == "text" else None
        return QgsProcessingParameterString(name, title, default, False, optional or default is None)

    def build_argv(self, binary, threads, parameters, context, feedback=None):
        """The hotmap command line for these parameter values, and {output name: path}. Vector
        inputs become the layer's file (exported first when hotmap could not read it as it is)
        and, for a layer inside a GeoPackage, its name in the source's layer option."""
        argv = [binary, self.spec["name"]]
        outputs, implied = {}, {}
        for o in self.options:
            name, kind, flag = param_name(o["name"]), o["kind"], "--" + o["name"]
            if name not in parameters or unset(parameters[name]):
                continue
            if kind == "flag":
                if self.parameterAsBoolean(parameters, name, context):
                    argv.append(flag)
            elif kind == "integer":
                v = self.parameterAsInt(parameters, name, context)
                if o["default"] is None or number_default(o) != v:
                    argv += [flag, str(v)]
            elif kind == "number":
                v = self.parameterAsDouble(parameters, name, context)
                if o["default"] is None or number_default(o) != v:
                    argv += [flag, format(v, ".15g")]
            elif kind == "choice":
                v = o["choices"][self.parameterAsEnum(parameters, name, context)]
                if v != o["default"]:
                    argv += [flag, v]
            elif kind == "list" and o.get("path") == "vector":
                for layer in self.parameterAsLayerList(parameters, name, context):
                    argv += [flag, QgsProcessingUtils.convertToCompatibleFormat(
                        layer, False, o["name"], VECTOR_FORMATS, "gpkg", context, feedback)]
            elif kind == "list" and o.get("path"):
                for f in self.parameterAsFileList(parameters, name, context):
                    argv += [flag, f]
            elif kind == "input_path" and o.get("path") == "vector":
                if o.get("layer_option"):
                    v, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
                        parameters, name, context, VECTOR_FORMATS, "gpkg", feedback)
                    if layer_name and layer_name != os.path.splitext(os.path.basename(v))[0]:
                        implied[o["layer_option"]] = layer_name
                else:
                    v = self.parameterAsCompatibleSourceLayerPath(parameters, name, context, VECTOR_FORMATS, "gpkg", feedback)
                if not v and isinstance(parameters[name], str):
                    v = parameters[name]  # not a layer QGIS can open: hotmap says what is wrong with it
                if not v:
                    raise QgsProcessingException(f"{title_of(o['name'])}: not a valid vector layer")
                argv += [flag, v]
            elif kind == "input_path":
                v = self.parameterAsFile(parameters, name, context)
                if v:
                    argv += [flag, v]
            elif kind == "output_path":
                if o.get("path") in ("vector", "raster"):
                    v = self.parameterAsOutputLayer(parameters, name, context)
                else:
                    v = self.parameterAsFileOutput(parameters, name, context)
                if v:
                    argv += [flag, v]
                    outputs[name] = (o, v)
            else:
                v = self.parameterAsString(parameters, name, context)
                if v and v != o["default"]:
                    argv += [flag, v]
        for option, layer_name in implied.items():
            # the chosen layer wins over a layer name typed in the form
            flag = "--" + option
            while flag in argv:
                i = argv.index(flag)
                del argv[i:i + 2]
            argv += [flag, layer_name]
        argv += ["--overwrite", "-v", "--progress"]
        if threads:
            argv += ["--threads", str(threads)]
        return argv, outputs

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            binary, threads = self.settings()
            argv, outputs = self.build_argv(binary, threads, parameters, context, feedback)
        except cli.HotmapError as e:
            raise QgsProcessingException(str(e)) from e
        self.outputs = {}
        feedback.pushCommandInfo(" ".join(_quote(a) for a in argv))
        try:
            result = cli.run(argv,
                             on_progress=lambda p, text: (feedback.setProgress(p), feedback.setProgressText(text)),
                             on_info=feedback.pushInfo,
                             on_warning=feedback.pushWarning,
                             is_canceled=feedback.isCanceled)
        except cli.HotmapError as e:
            raise QgsProcessingException(str(e)) from e
        if result is None:
            feedback.reportError("canceled: hotmap was interrupted and removed its partial outputs", False)
            return {}
        stdout, _errors = result
        if stdout.strip():
            feedback.pushConsoleInfo(stdout.rstrip())
        results = {"STDOUT": stdout}
        for name, (o, path) in outputs.items():
            results[name] = path
            self.outputs[name] = (o, path)
            if o["path"] in ("vector", "raster") and context.willLoadLayerOnCompletion(path):
                title = self.spec["name"] if o["name"] == "output" else f"{self.spec['name']} {o['name'].replace('-', ' ')}"
                details = context.layerToLoadOnCompletionDetails(path)
                details.name = title
                if hasattr(details, "forceName"):
                    details.forceName = True
                details.setPostProcessor(StylePostProcessor.create(title))
        return results

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        """`hotmap run`: the layers of the project it wrote, with their groups, styles and titles,
        added to the current project (which is not replaced)."""
        for o, path in self.outputs.values():
            if o["path"] == "folder" and self.spec["name"] == "run" and context.project() is not None:
                project_file = os.path.join(path, "project.qgs")
                if os.path.isfile(project_file):
                    n = add_project_layers(project_file, context.project())
                    feedback.pushInfo(f"added {n} layers of {project_file} to the project")
        return {}


def add_project_layers(project_file, project):
    """Copy the layer tree of project_file (groups, layers with their styles and names,
    visibility) into `project` under one group named after its title. Returns the layer count."""
    written = QgsProject()
    if not written.read(project_file):
        raise QgsProcessingException(f"cannot read {project_file}: {written.error()}")
    root = project.layerTreeRoot()
    top = root.insertGroup(0, written.title() or os.path.basename(os.path.dirname(project_file)))
    count = 0

    def copy(node, target):
        nonlocal count
        for child in node.children():
            if QgsLayerTree.isGroup(child):
                g = target.addGroup(child.name())
                g.setItemVisibilityChecked(child.itemVisibilityChecked())
                copy(child, g)
                g.setExpanded(child.isExpanded())
            elif QgsLayerTree.isLayer(child) and child.layer() is not None:
                layer = child.layer().clone()
                project.addMapLayer(layer, False)
                n = target.addLayer(layer)
                n.setItemVisibilityChecked(child.itemVisibilityChecked())
                count += 1

    copy(written.layerTreeRoot(), top)
    return count


def _quote(a):
    return a if a and all(c.isalnum() or c in "-_./:=,+@%" for c in a) else "'" + a.replace("'", "'\\''") + "'"
