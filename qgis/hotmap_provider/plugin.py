# SPDX-License-Identifier: MIT
"""The plugin object: registers the hotmap provider with Processing and removes it on unload."""
from qgis.core import QgsApplication

from .provider import HotmapProvider


class HotmapPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        # QGIS calls it at start-up (hasProcessingProvider=yes), then initGui: register once
        if self.provider is None:
            self.provider = HotmapProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
