# SPDX-License-Identifier: MIT
# Reference p-values of R's exact binomial test, for tests/unit/spacetime/change_test.cpp.
# Made once with: Rscript tests/data/binom_test_reference.R > tests/data/binom_test_reference.csv
cases <- rbind(
  c(9, 10, 0.5), c(1, 10, 0.5), c(5, 10, 0.5), c(0, 5, 0.3), c(4, 5, 0.3), c(5, 5, 0.3),
  c(682, 925, 0.75), c(0, 1, 0.4), c(1, 1, 0.4), c(3, 7, 0.2), c(12, 20, 0.37),
  c(40, 60, 0.5), c(17, 60, 0.5), c(150, 400, 0.41), c(190, 400, 0.41), c(0, 300, 0.02),
  c(25, 300, 0.02), c(1234, 2500, 0.52), c(1380, 2500, 0.52), c(4000, 10000, 0.4),
  c(4100, 10000, 0.4), c(3890, 10000, 0.4), c(60000, 100000, 0.6), c(59000, 100000, 0.6),
  c(2, 3000, 0.001), c(9, 3000, 0.001), c(999, 1000, 0.99), c(970, 1000, 0.99),
  c(77, 150, 0.5133), c(5, 9, 0.5555555555555556))
cat("x,n,p0,p\n")
for (i in seq_len(nrow(cases))) {
  x <- cases[i, 1]; n <- cases[i, 2]; p0 <- cases[i, 3]
  cat(sprintf("%d,%d,%.17g,%.17g\n", as.integer(x), as.integer(n), p0, binom.test(x, n, p0)$p.value))
}
