# SPDX-License-Identifier: MIT
"""hotmap Processing provider: QGIS loads the plugin through classFactory."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import HotmapPlugin
    return HotmapPlugin(iface)
