# SPDX-License-Identifier: MIT
# Reference values for the Mann-Kendall test (tests/unit/stats/mann_kendall_test.cpp), computed
# once with R's own Kendall test against time: cor.test(t, x, method = "kendall", exact = FALSE,
# continuity = TRUE) gives Kendall's tau-b, the tie-corrected, continuity-corrected z and the
# two-sided normal p. Regenerate: Rscript tests/data/mann_kendall_r.R > tests/data/mann_kendall_r.csv
# (R 4.2.2, Debian 12 r-base-core).
series <- list(
  increasing = 1:10,
  ties = c(5, 3, 3, 8, 8, 8, 2, 9, 10, 10, 1, 12),
  decreasing_ties = c(10, 9, 9, 9, 7, 7, 6, 5, 5, 4, 3, 3, 3, 2, 1),
  counts = c(0, 2, 1, 0, 3, 3, 2, 5, 4, 4, 6, 3, 7, 8, 6, 9, 9, 7, 11, 10, 12, 10, 13, 15),
  zscores = c(0.52, -1.21, 3.33, 2.25, 2.25, 4.10, 1.96, -0.44, 2.58, 3.01, 3.01, 3.01, 5.2, 4.4),
  flat_ends = c(4, 4, 4, 4, 5, 4, 4, 4, 4, 4),
  no_trend = c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4)
)
cat("name,values,tau,z,p\n")
for (name in names(series)) {
  x <- series[[name]]
  r <- suppressWarnings(cor.test(seq_along(x), x, method = "kendall", exact = FALSE, continuity = TRUE))
  cat(sprintf("%s,%s,%.17g,%.17g,%.17g\n", name, paste(x, collapse = ";"), r$estimate, r$statistic, r$p.value))
}
