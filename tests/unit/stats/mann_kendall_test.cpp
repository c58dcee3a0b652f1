// SPDX-License-Identifier: MIT
// Mann-Kendall against hand-computed values.
#include "hotmap/stats/mann_kendall.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotmap::stats;

TEST(MannKendall, IncreasingSeriesNoTies)
{
    // 1,2,3,4,5: S = 10, Var S = 5*4*15/18 = 16.6667, tau = 1, z = 9/sqrt(16.6667) = 2.2045
    const MannKendall r = mann_kendall({1, 2, 3, 4, 5});
    ASSERT_TRUE(r.valid);
    EXPECT_DOUBLE_EQ(r.s, 10);
    EXPECT_NEAR(r.var_s, 50.0 / 3.0, 1e-12);
    EXPECT_DOUBLE_EQ(r.tau, 1.0);
    EXPECT_NEAR(r.z, 9.0 / std::sqrt(50.0 / 3.0), 1e-12);
    EXPECT_NEAR(r.p, 0.027486, 1e-6);
}

TEST(MannKendall, TiesCorrectVarianceAndTau)
{
    // 1,2,2,3: pairs (i<j): +1 +1 +1, 0 +1, +1 => S = 5; one tie group of 2:
    // Var = (4*3*13 - 2*1*9)/18 = 138/18; tau-b = 5/sqrt(6*(6-1)) = 0.912871
    const MannKendall r = mann_kendall({1, 2, 2, 3});
    ASSERT_TRUE(r.valid);
    EXPECT_DOUBLE_EQ(r.s, 5);
    EXPECT_NEAR(r.var_s, 138.0 / 18.0, 1e-12);
    EXPECT_NEAR(r.tau, 5.0 / std::sqrt(30.0), 1e-12);
}

TEST(MannKendall, DegenerateSeries)
{
    EXPECT_FALSE(mann_kendall({1, 2}).valid);
    EXPECT_FALSE(mann_kendall({3, 3, 3, 3}).valid);
    const MannKendall d = mann_kendall({5, 4, 3});
    EXPECT_TRUE(d.valid);
    EXPECT_DOUBLE_EQ(d.tau, -1.0);
}
