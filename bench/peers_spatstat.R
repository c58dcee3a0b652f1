# SPDX-License-Identifier: MIT
# R spatstat's density.ppp on projected points, for bench/bench_peers.sh.
#   Rscript peers_spatstat.R POINTS_XY.csv X0 Y0 NCOL NROW CELL SIGMA OUT.bin
# POINTS_XY.csv: X,Y columns in metres (header line). The window is the raster's extent
# [X0, X0+NCOL*CELL] x [Y0, Y0+NROW*CELL], pixels NROW x NCOL (dimyx), so the pixel centres are the
# cell centres of the same raster. Gaussian kernel with sd SIGMA per axis, no edge correction.
# Writes the NROW x NCOL intensities (points per m^2) as little-endian float64, first row south, and
# prints the seconds of each step.
suppressMessages({ library(spatstat.geom); library(spatstat.explore) })
a <- commandArgs(trailingOnly = TRUE)
x0 <- as.numeric(a[2]); y0 <- as.numeric(a[3]); ncol <- as.integer(a[4]); nrow <- as.integer(a[5])
cell <- as.numeric(a[6]); sigma <- as.numeric(a[7])
t_read <- system.time(p <- scan(a[1], what = list(0, 0), sep = ",", skip = 1, quiet = TRUE))[["elapsed"]]
W <- owin(c(x0, x0 + ncol * cell), c(y0, y0 + nrow * cell))
t_ppp <- system.time(X <- ppp(p[[1]], p[[2]], window = W, check = FALSE))[["elapsed"]]
if (npoints(X) != length(p[[1]])) stop("points outside the window")
t_density <- system.time(D <- density.ppp(X, sigma = sigma, kernel = "gaussian", edge = FALSE,
                                          dimyx = c(nrow, ncol)))[["elapsed"]]
stopifnot(nrow(D$v) == nrow, ncol(D$v) == ncol,
          abs(D$xcol[1] - (x0 + cell / 2)) < 1e-6, abs(D$yrow[1] - (y0 + cell / 2)) < 1e-6)
con <- file(a[8], "wb")
writeBin(as.vector(t(D$v)), con, size = 8, endian = "little")  # row by row, south first
close(con)
cat(sprintf("spatstat points=%d read=%.2f ppp=%.2f density=%.2f\n", npoints(X), t_read, t_ppp, t_density))
