# SPDX-License-Identifier: MIT
# Check of the QGIS comparison in bench/bench_peers.sh: QGIS 3.22's heatmap loop (QgsKernelDensityEstimation
# ::addFeature, quartic, raw) re-done in numpy in double precision, with and without its vertical mirror,
# against QGIS's raster and hotmap's. Shows that what separates QGIS from hotmap is the mirror alone.
#   peers_qgis_emulate.py POINTS_XY.csv QGIS_RAW.tif HOTMAP_QGRID.tif RADIUS
# (needs python3-gdal, numpy; a few seconds per 100k points).
# In addFeature, a point's block of pixels is written from the row counted from the top
# (yPositionIO) while the kernel is evaluated at centres counted from the bottom (yPosition): row
# yPositionIO + k receives the value of the centre k rows above the block's bottom, i.e. the kernel
# flipped about the point's position inside its row.
import sys
import numpy as np
from osgeo import gdal

gdal.UseExceptions()
xy = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
x, y = xy[:, 0], xy[:, 1]
ds = gdal.Open(sys.argv[2])
gt = ds.GetGeoTransform()
q = ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
q[q == ds.GetRasterBand(1).GetNoDataValue()] = 0
hds = gdal.Open(sys.argv[3])  # kept open while its band is read
h = hds.GetRasterBand(1).ReadAsArray().astype(np.float64)
r = float(sys.argv[4])
px = gt[1]
nrow, ncol = q.shape
# QGIS's mBounds: the layer's extent grown by r; the raster's top-left corner is (xmin, ymax).
# mBounds' ymin is not in the raster: rows = ceil(H / px) + 1, so ymin = ymax - H with
# H in ((rows - 2) px, (rows - 1) px]; the declared extent of bench_peers.sh's GeoPackage is whole
# cells, so H = (rows - 1) px exactly.
xmin, ymax = gt[0], gt[3]
ymin = ymax - (nrow - 1) * px
buf = int(r / px) + (1 if r - px * int(r / px) > 0.5 else 0)
block = 2 * buf + 1
xpos = np.trunc((x - xmin) / px - buf).astype(np.int64)
ypos = np.trunc((y - ymin) / px - buf).astype(np.int64)
yposio = np.trunc((ymax - y) / px - buf).astype(np.int64)
mirrored = np.zeros(nrow * ncol)
straight = np.zeros(nrow * ncol)
for xp in range(block):
    cx = (xpos + xp + 0.5) * px + xmin
    col = xpos + xp
    for yp in range(block):
        cy = (ypos + yp + 0.5) * px + ymin
        d = np.sqrt((cx - x) ** 2 + (cy - y) ** 2)
        ok = d <= r
        v = (1 - (d[ok] / r) ** 2) ** 2
        # QGIS: written at row yposio + yp (from the top)
        mirrored += np.bincount((yposio[ok] + yp) * ncol + col[ok], weights=v, minlength=nrow * ncol)
        # the same centre's true row from the top: (ymax - cy) / px - 0.5
        row = np.rint((ymax - cy[ok]) / px - 0.5).astype(np.int64)
        straight += np.bincount(row * ncol + col[ok], weights=v, minlength=nrow * ncol)
mirrored = mirrored.reshape(nrow, ncol)
straight = straight.reshape(nrow, ncol) * 3 / (np.pi * r * r)
peak = q.max()
print("QGIS raster vs the emulated loop with the mirror: max |diff| / peak = %.2g" % (np.abs(q - mirrored).max() / peak))
hp = h.max()
print("hotmap vs the emulated loop without the mirror (x 3/(pi r^2)): max |diff| / peak = %.2g" % (np.abs(h - straight).max() / hp))
sel = h > 0.01 * hp
rel = np.abs(h[sel] - mirrored[sel] * 3 / (np.pi * r * r)) / h[sel]
print("hotmap vs the emulated loop with the mirror: max %.3g, median %.3g relative over %d cells above 1%% of the peak"
      % (rel.max(), np.median(rel), sel.sum()))
