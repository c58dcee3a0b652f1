# SPDX-License-Identifier: MIT
# Agreement of two rasters on the same cells, for bench/bench_peers.sh (needs python3-gdal, numpy).
#   peers_compare.py A.tif B SCALE_B [--xyz X0,Y0,NCOL,NROW,CELL]
# A is a GeoTIFF (relative differences are taken to A); B is a GeoTIFF (or, with --xyz, a raw little-endian float64 matrix of NROW x NCOL
# values, first row south, as R writes it), multiplied by SCALE_B. The two are matched by cell centre
# coordinates (B's cells must be a subset of A's lattice or the other way round). Prints one line:
#   ncells=ALL int_diff=K cells=N common=CxR peak=P max_rel=R med_rel=M max_abs_rel_peak=Q max_abs=D a_sum=.. b_sum=..
# over the cells where either value is above 1% of A's peak: R and M are |A-B|/|A| there, Q is
# max |A-B| / peak over all common cells; K counts the cells whose values differ once rounded to
# integers. Nodata (QGIS's -9999 where no point reached) counts as 0.
import sys
import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def read_tif(path):
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform()
    band = ds.GetRasterBand(1)
    v = band.ReadAsArray().astype(np.float64)
    nd = band.GetNoDataValue()
    if nd is not None:
        v[v == nd] = 0.0
    if gt[5] > 0:  # south-up: flip to north-up
        v = v[::-1, :]
        top = gt[3] + gt[5] * ds.RasterYSize
    else:
        top = gt[3]
    return v, gt[0], top, abs(gt[1])


def main():
    a, ax0, atop, acell = read_tif(sys.argv[1])
    scale = float(sys.argv[3])
    if len(sys.argv) > 5 and sys.argv[4] == "--xyz":
        x0, y0, ncol, nrow, cell = sys.argv[5].split(",")
        ncol, nrow, cell = int(ncol), int(nrow), float(cell)
        b = np.fromfile(sys.argv[2], dtype="<f8").reshape(nrow, ncol)[::-1, :]
        bx0, btop, bcell = float(x0), float(y0) + nrow * cell, cell
    else:
        b, bx0, btop, bcell = read_tif(sys.argv[2])
    b = b * scale
    if abs(acell - bcell) > 1e-9:
        sys.exit("cell sizes differ: %g vs %g" % (acell, bcell))
    # offsets of B's first column / row in A's lattice
    dc = (bx0 - ax0) / acell
    dr = (atop - btop) / acell
    if abs(dc - round(dc)) > 1e-6 or abs(dr - round(dr)) > 1e-6:
        sys.exit("grids not aligned: B starts %.6f columns, %.6f rows into A" % (dc, dr))
    dc, dr = int(round(dc)), int(round(dr))
    # common window
    r0, c0 = max(0, dr), max(0, dc)
    r1, c1 = min(a.shape[0], dr + b.shape[0]), min(a.shape[1], dc + b.shape[1])
    aa = a[r0:r1, c0:c1]
    bb = b[r0 - dr:r1 - dr, c0 - dc:c1 - dc]
    peak = a.max()
    sel = (np.abs(aa) > 0.01 * peak) | (np.abs(bb) > 0.01 * peak)
    rel = np.abs(aa[sel] - bb[sel]) / np.abs(aa[sel])
    int_diff = int((np.rint(aa) != np.rint(bb)).sum())
    print("ncells=%d int_diff=%d " % (aa.size, int_diff), end="")
    print("cells=%d common=%dx%d peak=%.6g max_rel=%.3g med_rel=%.3g max_abs_rel_peak=%.3g max_abs=%.3g a_sum=%.6g b_sum=%.6g"
          % (sel.sum(), aa.shape[1], aa.shape[0], peak, rel.max(), np.median(rel),
             np.abs(aa - bb).max() / peak, np.abs(aa - bb).max(), aa.sum(), bb.sum()))


if __name__ == "__main__":
    main()
