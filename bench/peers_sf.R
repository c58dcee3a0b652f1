# SPDX-License-Identifier: MIT
# R sf point-in-polygon counts, for bench/bench_peers.sh.
#   Rscript peers_sf.R INCIDENTS.csv DISTRICTS.geojson EPSG OUT.csv
# Reads the lon/lat columns of the incidents CSV (3rd and 4th), projects points and districts to
# EPSG (planar, as hotmap works), counts the points in each district with st_intersects and writes
# name,count. Prints the seconds of each step.
suppressMessages(library(sf))
a <- commandArgs(trailingOnly = TRUE)
crs <- as.integer(a[3])
hdr <- strsplit(readLines(a[1], n = 1), ",")[[1]]
stopifnot(hdr[3] == "lon", hdr[4] == "lat")
what <- rep(list(NULL), length(hdr)); what[[3]] <- 0; what[[4]] <- 0
t_read <- system.time({
  p <- scan(a[1], what = what, sep = ",", skip = 1, quiet = TRUE)
  pts <- st_as_sf(data.frame(lon = p[[3]], lat = p[[4]]), coords = c("lon", "lat"), crs = 4326)
  d <- st_read(a[2], quiet = TRUE)
})[["elapsed"]]
t_proj <- system.time({ pts <- st_transform(pts, crs); d <- st_transform(d, crs) })[["elapsed"]]
t_join <- system.time(n <- lengths(st_intersects(d, pts)))[["elapsed"]]
write.csv(data.frame(name = d$name, count = n), a[4], row.names = FALSE, quote = FALSE)
cat(sprintf("sf points=%d districts=%d in_some=%d read=%.2f project=%.2f intersects=%.2f\n",
            nrow(pts), nrow(d), sum(n), t_read, t_proj, t_join))
