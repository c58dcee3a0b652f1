// SPDX-License-Identifier: MIT
// Gi* significance bins: Benjamini-Hochberg step-up worked by hand against the plain thresholds.
#include "hotmap/stats/getis_ord.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace hotmap::stats;

TEST(GiStarFdr, StepUpWorkedByHandDiffersFromPlainThresholds)
{
    // Ten finite p (sorted here; the order in the vector is shuffled below) and one NaN, which
    // is not a test and must not count in m: m = 10.
    //   rank k:          1      2      3      4      5      6      7      8      9      10
    //   p_(k):      0.0005  0.008  0.039  0.041  0.042  0.059  0.074  0.205  0.212  0.216
    //   q=0.10 k/m q: 0.01   0.02   0.03   0.04   0.05   0.06   0.07   0.08   0.09   0.10
    //                  ok     ok     no     no     ok     ok     no     no     no     no
    //     -> step-up: the largest passing rank is 6, so ranks 1..6 pass (3 and 4 too)
    //   q=0.05 k/m q: 0.005  0.010  0.015  0.020 ...  -> ranks 1, 2 (0.039 > 0.015, ...)
    //   q=0.01 k/m q: 0.001  0.002  ...               -> rank 1 only (0.008 > 0.002)
    // FDR bins:   3 2 1 1 1 1 0 0 0 0
    // plain bins: 3 3 2 2 2 1 1 0 0 0  (p <= 0.01 / 0.05 / 0.10)
    // With m = 11 (the NaN counted) rank 6 would fail at 0.10 (6/11 * 0.1 = 0.0545 < 0.059),
    // so the bin of p = 0.059 also checks that NaN is ignored.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    //                              r7     r1     r10    r3     NaN  r5     r2     r9     r4     r6     r8
    const std::vector<double> p = {0.074, 0.0005, 0.216, 0.039, nan, 0.042, 0.008, 0.212, 0.041, 0.059, 0.205};
    const std::vector<double> z = {-1.8, 3.5, 1.2, -2.1, nan, 2.0, -2.7, -1.2, 2.05, 1.9, 1.27};
    const std::vector<int> fdr = significance_bins(z, p, true);
    const std::vector<int> plain = significance_bins(z, p, false);
    EXPECT_EQ(fdr, (std::vector<int>{0, 3, 0, -1, 0, 1, -2, 0, 1, 1, 0}));
    EXPECT_EQ(plain, (std::vector<int>{-1, 3, 0, -2, 0, 2, -3, 0, 2, 1, 0}));
    // the pass sets themselves
    EXPECT_EQ(fdr_pass(p, 0.10), (std::vector<char>{0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0}));
    EXPECT_EQ(fdr_pass(p, 0.05), (std::vector<char>{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
    EXPECT_EQ(fdr_pass(p, 0.01), (std::vector<char>{0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(GiStarFdr, GoldenFiveByFiveZAndBothBinSets)
{
    // reference/README.md golden 5 x 5 case (queen + self): the FDR bins differ from the plain
    // ones at (2,3), (3,2) (2 -> 0) and (1,2), (2,1) (3 -> 1). By hand, with m = 25: the five
    // smallest p are 3.9e-5, 0.00517, 0.00849, 0.0213, 0.0213; at q = 0.10 ranks 1..3 pass
    // (<= 0.004 k) and ranks 4, 5 fail (0.0213 > 0.016, 0.020); at q = 0.05 only rank 1
    // (0.00517 > 0.004); at q = 0.01 rank 1 (3.9e-5 <= 0.0004).
    const std::vector<double> p = {0.000039191, 0.00516922, 0.00849322, 0.0212884, 0.0212884};
    std::vector<double> all(25, 0.5), zs(25, 0.3);
    for (std::size_t i = 0; i < p.size(); ++i) {
        all[i] = p[i];
        zs[i] = 2.5;
    }
    EXPECT_EQ(significance_bins(zs, all, true), (std::vector<int>{3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(significance_bins(zs, all, false), (std::vector<int>{3, 3, 3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}
