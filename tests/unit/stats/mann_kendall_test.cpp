// SPDX-License-Identifier: MIT
// Mann-Kendall against hand-computed values and R's Kendall test.
#include "hotmap/stats/mann_kendall.hpp"

#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// R's Kendall test against time (cor.test(t, x, method = "kendall", exact = FALSE,
// continuity = TRUE); tests/data/mann_kendall_r.R made tests/data/mann_kendall_r.csv once):
// tau-b, the tie-corrected continuity-corrected z and the two-sided p agree.
TEST(MannKendall, AgreesWithRsKendallTest)
{
    std::ifstream f(std::string(HOTMAP_TEST_DATA_DIR) + "/mann_kendall_r.csv");
    ASSERT_TRUE(f) << "tests/data/mann_kendall_r.csv";
    std::string line;
    std::getline(f, line);
    int n = 0;
    while (std::getline(f, line)) {
        std::stringstream row(line);
        std::string name, values, tau, z, p;
        std::getline(row, name, ',');
        std::getline(row, values, ',');
        std::getline(row, tau, ',');
        std::getline(row, z, ',');
        std::getline(row, p, ',');
        std::vector<double> x;
        std::stringstream vs(values);
        for (std::string v; std::getline(vs, v, ';');) x.push_back(std::stod(v));
        const MannKendall r = mann_kendall(x);
        ASSERT_TRUE(r.valid) << name;
        EXPECT_NEAR(r.tau, std::stod(tau), 1e-12) << name;
        EXPECT_NEAR(r.z, std::stod(z), 1e-12) << name;
        EXPECT_NEAR(r.p, std::stod(p), 1e-12 + 1e-9 * std::stod(p)) << name;
        ++n;
    }
    EXPECT_EQ(n, 7);
}
