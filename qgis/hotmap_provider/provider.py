# SPDX-License-Identifier: MIT
"""The hotmap Processing provider: its settings (binary, threads) and one algorithm per
command of `hotmap --usage-json`."""
import os

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import cli
from .algorithm import HotmapAlgorithm

try:  # the Processing plugin's settings (Settings > Options > Processing > Providers)
    from processing.core.ProcessingConfig import ProcessingConfig, Setting
except ImportError:  # pragma: no cover - QGIS without the Processing plugin
    ProcessingConfig = Setting = None

BINARY = "HOTMAP_BINARY"
THREADS = "HOTMAP_THREADS"
TAG = "hotmap"


class HotmapProvider(QgsProcessingProvider):
    def __init__(self):
        super().__init__()
        self.problem = None
        self.version = None

    def id(self):
        return "hotmap"

    def name(self):
        return "hotmap"

    def longName(self):  # noqa: N802
        return f"hotmap {self.version}" if self.version else "hotmap"

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(__file__), "icon.svg"))

    def svgIconPath(self):  # noqa: N802
        return os.path.join(os.path.dirname(__file__), "icon.svg")

    def load(self):
        if ProcessingConfig is not None:
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(self.name(), BINARY,
                                                "hotmap executable (empty: 'hotmap' found on PATH)", "",
                                                valuetype=Setting.FILE))
            ProcessingConfig.addSetting(Setting(self.name(), THREADS,
                                                "Threads (--threads; 0 = all cores)", 0, valuetype=Setting.INT))
            ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        if ProcessingConfig is not None:
            ProcessingConfig.removeSetting(BINARY)
            ProcessingConfig.removeSetting(THREADS)

    def settings(self):
        """(binary path, threads) as set now; raises cli.HotmapError when there is no binary."""
        configured = ProcessingConfig.getSetting(BINARY) if ProcessingConfig is not None else ""
        threads = ProcessingConfig.getSetting(THREADS) if ProcessingConfig is not None else 0
        try:
            threads = max(0, int(threads or 0))
        except (TypeError, ValueError):
            threads = 0
        return cli.find_binary((configured or "").strip()), threads

    def loadAlgorithms(self):  # noqa: N802
        self.problem = None
        try:
            binary, _threads = self.settings()
            data = cli.usage(binary)
        except cli.HotmapError as e:
            # the provider stays, empty, with the reason in the log: fix the setting and reopen
            self.problem = str(e)
            QgsMessageLog.logMessage(self.problem, TAG, Qgis.Warning)
            return
        self.version = data.get("version")
        for spec in data["commands"]:
            self.addAlgorithm(HotmapAlgorithm(spec, self.settings))

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802
        return ["gpkg", "geojson", "shp", "fgb", "csv"]

    def defaultVectorFileExtension(self, hasGeometry=True):  # noqa: N802
        return "gpkg"

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]

    def defaultRasterFileExtension(self):  # noqa: N802
        return "tif"

    def supportedOutputTableExtensions(self):  # noqa: N802
        return ["csv"]
