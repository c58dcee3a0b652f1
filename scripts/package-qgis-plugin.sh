#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Packages the QGIS Processing provider (qgis/hotmap_provider) as a ZIP that QGIS installs
# with Plugins > Manage and Install Plugins > Install from ZIP.
#
#   scripts/package-qgis-plugin.sh [OUT.zip]     default: out/hotmap_provider.zip
#
# The archive holds one folder, hotmap_provider/, with the plugin's files (no caches).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/out/hotmap_provider.zip}"
case "$out" in
  *.zip) ;;
  *) echo "package-qgis-plugin.sh: error: '$out': the output must be a .zip file" >&2; exit 2 ;;
esac
command -v python3 > /dev/null || { echo "package-qgis-plugin.sh: error: python3 is needed to write the ZIP" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
python3 - "$root/qgis" "$out" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
plugin = os.path.join(src, "hotmap_provider")
files = []
for d, dirs, names in os.walk(plugin):
    dirs[:] = sorted(x for x in dirs if x != "__pycache__")
    files += [os.path.join(d, n) for n in sorted(names) if not n.endswith((".pyc", ".pyo"))]
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for f in files:
        info = zipfile.ZipInfo(os.path.relpath(f, src), date_time=(2026, 1, 1, 0, 0, 0))  # same bytes every time
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(f, "rb") as fh:
            z.writestr(info, fh.read())
os.replace(tmp, out)
print(f"{out}: {len(files)} files (install it in QGIS with Plugins > Manage and Install Plugins > Install from ZIP)")
PY
