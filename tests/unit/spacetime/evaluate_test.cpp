// SPDX-License-Identifier: MIT
// Hotspot map evaluation on a hand-made grid: ranking and ties, cells per share, hit rate,
// PAI, PEI and RRI worked out by hand.
#include "hotmap/error.hpp"
#include "hotmap/spacetime/evaluate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace hotmap;

TEST(EvaluateRanking, ScoreThenTrainingCountThenIndex)
{
    const std::vector<double> score{5, 9, 1, 9, 0, 0, 3, 2, 0, 7};
    const std::vector<double> train{4, 6, 0, 8, 0, 1, 2, 1, 0, 3};
    const std::vector<std::size_t> want{3, 1, 9, 0, 6, 7, 2, 5, 4, 8};
    EXPECT_EQ(spacetime::rank_cells(score, train), want);
}

TEST(EvaluateRanking, NanScoresLast)
{
    const double nan = std::nan("");
    const std::vector<double> score{nan, -2, nan, 1, -INFINITY};
    const std::vector<std::size_t> want{3, 1, 4, 0, 2};
    EXPECT_EQ(spacetime::rank_cells(score, std::vector<double>(5, 0.0)), want);
}

TEST(EvaluateShares, CellsPerShare)
{
    EXPECT_EQ(spacetime::cells_for_share(10, 10), 1u);
    EXPECT_EQ(spacetime::cells_for_share(15, 10), 2u);  // 1.5 rounds up
    EXPECT_EQ(spacetime::cells_for_share(14, 10), 1u);
    EXPECT_EQ(spacetime::cells_for_share(1, 10), 1u);   // 0.1 cell: at least one
    EXPECT_EQ(spacetime::cells_for_share(100, 10), 10u);
    EXPECT_EQ(spacetime::cells_for_share(1, 1900), 19u);
    EXPECT_EQ(spacetime::cells_for_share(0.5, 2243), 11u); // 11.215
    EXPECT_THROW(spacetime::cells_for_share(0, 10), ParameterError);
    EXPECT_THROW(spacetime::cells_for_share(100.5, 10), ParameterError);
    EXPECT_THROW(spacetime::cells_for_share(std::nan(""), 10), ParameterError);
}

TEST(EvaluateShares, HitRatePaiPeiRriByHand)
{
    // ranking 3, 1, 9, 0, 6, 7, 2, 5, 4, 8 (the test above); N_train = 25, N_test = 20
    const std::vector<double> score{5, 9, 1, 9, 0, 0, 3, 2, 0, 7};
    const std::vector<std::uint64_t> train{4, 6, 0, 8, 0, 1, 2, 1, 0, 3};
    const std::vector<std::uint64_t> test{2, 5, 1, 3, 0, 4, 1, 0, 0, 4};
    const std::vector<double> tb(train.begin(), train.end());
    const auto order = spacetime::rank_cells(score, tb);
    const auto s = spacetime::score_shares(order, train, test, {10, 20, 50});
    ASSERT_EQ(s.size(), 3u);
    // 10%: cell 3; 3 of 20 test incidents, 8 of 25 training ones; the best cell has 5
    EXPECT_EQ(s[0].cells, 1u);
    EXPECT_EQ(s[0].hits, 3u);
    EXPECT_EQ(s[0].train_hits, 8u);
    EXPECT_EQ(s[0].best_hits, 5u);
    EXPECT_DOUBLE_EQ(s[0].hit_rate_pct, 15.0);
    EXPECT_DOUBLE_EQ(s[0].area_pct, 10.0);
    EXPECT_DOUBLE_EQ(s[0].pai, 1.5);
    EXPECT_DOUBLE_EQ(s[0].pei, 0.6);
    EXPECT_DOUBLE_EQ(s[0].rri, (3.0 / 8) / (20.0 / 25)); // 0.46875
    // 20%: cells 3 and 1: 8 hits, 14 training; best two cells 5 + 4
    EXPECT_EQ(s[1].hits, 8u);
    EXPECT_DOUBLE_EQ(s[1].hit_rate_pct, 40.0);
    EXPECT_DOUBLE_EQ(s[1].pai, 2.0);
    EXPECT_DOUBLE_EQ(s[1].pei, 8.0 / 9);
    EXPECT_DOUBLE_EQ(s[1].rri, (8.0 / 14) / 0.8);
    // 50%: cells 3, 1, 9, 0, 6: 3 + 5 + 4 + 2 + 1 = 15 hits, 8 + 6 + 3 + 4 + 2 = 23 training;
    // best five 5 + 4 + 4 + 3 + 2 = 18
    EXPECT_EQ(s[2].cells, 5u);
    EXPECT_EQ(s[2].hits, 15u);
    EXPECT_EQ(s[2].train_hits, 23u);
    EXPECT_EQ(s[2].best_hits, 18u);
    EXPECT_DOUBLE_EQ(s[2].hit_rate_pct, 75.0);
    EXPECT_DOUBLE_EQ(s[2].pai, 1.5);
    EXPECT_DOUBLE_EQ(s[2].pei, 15.0 / 18);
    EXPECT_DOUBLE_EQ(s[2].rri, (15.0 / 23) / 0.8);
}

TEST(EvaluateShares, NoTrainingHitGivesNullRri)
{
    const auto s = spacetime::score_shares({1, 0}, {2, 0}, {1, 3}, {50, 100});
    EXPECT_TRUE(std::isnan(s[0].rri)); // cell 1 had no training incident
    EXPECT_DOUBLE_EQ(s[0].pei, 1.0);   // and holds the most test incidents
    EXPECT_DOUBLE_EQ(s[1].hit_rate_pct, 100.0);
    EXPECT_DOUBLE_EQ(s[1].pai, 1.0);
    EXPECT_DOUBLE_EQ(s[1].rri, 1.0);
}

TEST(EvaluateShares, BadInputs)
{
    EXPECT_THROW(spacetime::score_shares({0, 1}, {1, 1}, {0, 0}, {10}), InputError);    // no test incident
    EXPECT_THROW(spacetime::score_shares({0, 1}, {0, 0}, {1, 1}, {10}), InputError);    // no training incident
    EXPECT_THROW(spacetime::score_shares({0, 0}, {1, 1}, {1, 1}, {10}), ParameterError); // not a permutation
    EXPECT_THROW(spacetime::score_shares({0, 1}, {1, 1}, {1, 1}, {0}), ParameterError);
}

TEST(EvaluateShares, CurveShares)
{
    const std::vector<double> c = spacetime::curve_shares();
    ASSERT_EQ(c.size(), 109u);
    EXPECT_DOUBLE_EQ(c.front(), 0.1);
    EXPECT_DOUBLE_EQ(c[9], 1.0);
    EXPECT_DOUBLE_EQ(c.back(), 100.0);
}
