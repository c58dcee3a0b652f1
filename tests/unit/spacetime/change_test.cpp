// SPDX-License-Identifier: MIT
// Change between two windows: exact binomial p-values (by hand and against R's binom.test),
// change bins with and without FDR on a hand-sized map, ratios, the similarity index, windows.
#include "hotmap/error.hpp"
#include "hotmap/spacetime/change.hpp"
#include "hotmap/timeparse.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace hotmap;
using spacetime::binomial_two_sided_p;

TEST(BinomialTest, NineOfTenAtOneHalfByHand)
{
    // P(K >= 9) + P(K <= 1) = (1 + 10 + 10 + 1) / 1024
    EXPECT_NEAR(binomial_two_sided_p(9, 10, 0.5), 22.0 / 1024, 1e-15);
    EXPECT_NEAR(binomial_two_sided_p(9, 10, 0.5), 0.021484375, 1e-15);
    EXPECT_NEAR(binomial_two_sided_p(1, 10, 0.5), 0.021484375, 1e-15);
    EXPECT_EQ(binomial_two_sided_p(5, 10, 0.5), 1.0); // the expected split itself
}

TEST(BinomialTest, SkewedNullByHand)
{
    // n = 5, p0 = 0.3: P(0..5) = 0.16807, 0.36015, 0.3087, 0.1323, 0.02835, 0.00243
    EXPECT_NEAR(spacetime::binomial_pmf(3, 5, 0.3), 0.1323, 1e-15);
    // x = 0: every outcome no more likely than 0.16807 is 0, 3, 4, 5
    EXPECT_NEAR(binomial_two_sided_p(0, 5, 0.3), 0.16807 + 0.1323 + 0.02835 + 0.00243, 1e-14);
    // x = 4: 4 and 5 only (P(0) = 0.16807 is more likely than 0.02835)
    EXPECT_NEAR(binomial_two_sided_p(4, 5, 0.3), 0.02835 + 0.00243, 1e-15);
    EXPECT_NEAR(binomial_two_sided_p(5, 5, 0.3), 0.00243, 1e-15);
}

TEST(BinomialTest, EdgeCases)
{
    EXPECT_EQ(binomial_two_sided_p(0, 0, 0.4), 1.0);
    EXPECT_EQ(binomial_two_sided_p(0, 1, 0.4), 1.0); // P(0) = 0.6, P(1) = 0.4 <= 0.6
    EXPECT_NEAR(binomial_two_sided_p(1, 1, 0.4), 0.4, 1e-15);
    EXPECT_THROW(binomial_two_sided_p(3, 2, 0.5), ParameterError);
    EXPECT_THROW(binomial_two_sided_p(1, 2, 1.5), ParameterError);
}

TEST(BinomialTest, MatchesRBinomTest)
{
    // values made by R (tests/data/binom_test_reference.R): binom.test(x, n, p0)$p.value
    std::ifstream f(test::data("binom_test_reference.csv"));
    ASSERT_TRUE(f) << "missing tests/data/binom_test_reference.csv";
    std::string line;
    std::getline(f, line);
    int cases = 0;
    while (std::getline(f, line)) {
        std::stringstream ss(line);
        std::string a, b, c, d;
        std::getline(ss, a, ',');
        std::getline(ss, b, ',');
        std::getline(ss, c, ',');
        std::getline(ss, d, ',');
        const auto x = std::stoull(a), n = std::stoull(b);
        const double p0 = std::stod(c), want = std::stod(d);
        const double got = binomial_two_sided_p(x, n, p0);
        EXPECT_NEAR(got, want, 1e-12 * std::max(want, 1e-300) + 1e-15) << "x " << x << " n " << n << " p0 " << p0;
        ++cases;
    }
    EXPECT_EQ(cases, 30);
}

TEST(BinomialTest, LargeNAgainstDirectSum)
{
    // an independent O(n) long-double sum of every outcome at most as likely as the observed one
    const auto direct = [](std::uint64_t x, std::uint64_t n, long double p) {
        const auto lp = [&](std::uint64_t k) {
            return std::lgammal(static_cast<long double>(n) + 1) - std::lgammal(static_cast<long double>(k) + 1) -
                   std::lgammal(static_cast<long double>(n - k) + 1) + static_cast<long double>(k) * std::log(p) +
                   static_cast<long double>(n - k) * std::log1p(-p);
        };
        const long double d = std::exp(lp(x)) * (1 + 1e-7L);
        long double s = 0;
        for (std::uint64_t k = 0; k <= n; ++k) {
            const long double v = std::exp(lp(k));
            if (v <= d) s += v;
        }
        return static_cast<double>(std::min(1.0L, s));
    };
    for (auto [x, n, p] : {std::tuple<std::uint64_t, std::uint64_t, double>{700, 2000, 0.37}, {781, 2000, 0.37}, {5200, 12000, 0.45},
                           {31, 50000, 0.001}})
        EXPECT_NEAR(binomial_two_sided_p(x, n, p), direct(x, n, p), 1e-10 * direct(x, n, p)) << x << " of " << n;
}

namespace {

/// Eight units with incidents (A: 1 -> 9, B: 9 -> 1, six with k -> k) and three without:
/// totals 31 / 31, p0 = 0.5.
void hand_map(std::vector<std::uint64_t>& before, std::vector<std::uint64_t>& after)
{
    before = {1, 9, 1, 2, 3, 4, 5, 6, 0, 0, 0};
    after = {9, 1, 1, 2, 3, 4, 5, 6, 0, 0, 0};
}

} // namespace

TEST(ChangeBins, WithoutFdrPlainThresholds)
{
    std::vector<std::uint64_t> b, a;
    hand_map(b, a);
    spacetime::ChangeOptions o;
    o.fdr = false;
    o.threads = 1;
    const spacetime::Change c = spacetime::compare_counts(b, a, o);
    EXPECT_EQ(c.total_before, 31u);
    EXPECT_EQ(c.total_after, 31u);
    EXPECT_DOUBLE_EQ(c.p0, 0.5);
    EXPECT_NEAR(c.p[0], 0.021484375, 1e-15);
    EXPECT_NEAR(c.p[1], 0.021484375, 1e-15);
    for (std::size_t i = 2; i < 8; ++i) EXPECT_EQ(c.p[i], 1.0);
    for (std::size_t i = 8; i < 11; ++i) EXPECT_TRUE(std::isnan(c.p[i])); // no incident: not tested
    // p = 0.0215 <= 0.05: +-2, the sign of the change of the unit's share
    const std::vector<int> want{2, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(c.bin, want);
    EXPECT_EQ(c.tested, 8u);
    EXPECT_EQ(c.similar, 6u);
    EXPECT_DOUBLE_EQ(c.similarity, 0.75);
    EXPECT_EQ(c.bins[1], 1u); // -2
    EXPECT_EQ(c.bins[5], 1u); // +2
    EXPECT_EQ(c.bins[3], 9u);
}

TEST(ChangeBins, FdrOverTheUnitsWithIncidents)
{
    std::vector<std::uint64_t> b, a;
    hand_map(b, a);
    spacetime::ChangeOptions o;
    o.threads = 1;
    const spacetime::Change c = spacetime::compare_counts(b, a, o);
    // Benjamini-Hochberg over m = 8 tested units: the two smallest p (0.0215) pass at q = 0.10
    // (0.0215 <= 2/8 * 0.10 = 0.025) but not at 0.05 (2/8 * 0.05 = 0.0125): bins +-1. Counting
    // the three empty units (m = 11) would give 2/11 * 0.10 = 0.018 < 0.0215: no bin at all.
    const std::vector<int> want{1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(c.bin, want);
    EXPECT_EQ(c.similar, 8u);
    EXPECT_DOUBLE_EQ(c.similarity, 1.0);
}

TEST(ChangeBins, FdrKeepsStrongChanges)
{
    // 20 -> 0 against p0 = 0.5: p = 2 * 0.5^20 ~ 1.9e-6 passes every level
    const spacetime::Change c = spacetime::compare_counts({20, 5, 5, 0}, {0, 5, 5, 20}, {});
    EXPECT_NEAR(c.p[0], 2 * std::pow(0.5, 20), 1e-18);
    EXPECT_EQ(c.bin[0], -3);
    EXPECT_EQ(c.bin[3], 3);
    EXPECT_EQ(c.bin[1], 0);
}

TEST(ChangeCounts, DiffRatioAndOverallSplit)
{
    // totals 10 before, 30 after: p0 = 0.75, so 2 -> 6 is no change of share at all
    spacetime::ChangeOptions o;
    o.fdr = false;
    const spacetime::Change c = spacetime::compare_counts({2, 0, 8}, {6, 4, 20}, o);
    EXPECT_DOUBLE_EQ(c.p0, 0.75);
    EXPECT_EQ(c.diff, (std::vector<std::int64_t>{4, 4, 12}));
    EXPECT_DOUBLE_EQ(c.ratio[0], 3.0);
    EXPECT_TRUE(std::isnan(c.ratio[1])); // no incident before
    EXPECT_DOUBLE_EQ(c.ratio[2], 2.5);
    EXPECT_EQ(c.p[0], 1.0);
    EXPECT_DOUBLE_EQ(c.excess[0], 0.0);
    // 4 of 4 at p0 = 3/4: P(0..4) = (1, 12, 54, 108, 81) / 256; 0, 1, 2 and 4 are no more likely
    // than the observed 81/256, so p = (1 + 12 + 54 + 81) / 256
    EXPECT_NEAR(c.p[1], 148.0 / 256, 1e-15);
    EXPECT_EQ(c.bin[1], 0);
}

TEST(ChangeCounts, GivenTotalsSetTheSplit)
{
    spacetime::ChangeOptions o;
    o.total_before = 10;
    o.total_after = 10;
    const spacetime::Change c = spacetime::compare_counts({1}, {9}, o);
    EXPECT_DOUBLE_EQ(c.p0, 0.5);
    EXPECT_NEAR(c.p[0], 0.021484375, 1e-15);
}

TEST(ChangeCounts, EmptyWindowIsADataError)
{
    EXPECT_THROW(spacetime::compare_counts({0, 0}, {3, 1}, {}), InputError);
    EXPECT_THROW(spacetime::compare_counts({1, 2}, {0, 0}, {}), InputError);
    EXPECT_THROW(spacetime::compare_counts({1, 2}, {1}, {}), ParameterError);
}

TEST(ChangeCounts, IdenticalForAnyThreadCount)
{
    std::vector<std::uint64_t> b(5000), a(5000);
    for (std::size_t i = 0; i < b.size(); ++i) {
        b[i] = (i * 7919) % 23;
        a[i] = (i * 104729) % 31;
    }
    spacetime::ChangeOptions o1, o4;
    o1.threads = 1;
    o4.threads = 4;
    parallel::set_chunk_cap(64);
    const spacetime::Change c1 = spacetime::compare_counts(b, a, o1), c4 = spacetime::compare_counts(b, a, o4);
    parallel::set_chunk_cap(0);
    for (std::size_t i = 0; i < b.size(); ++i) {
        ASSERT_EQ(std::isnan(c1.p[i]), std::isnan(c4.p[i]));
        if (!std::isnan(c1.p[i])) {
            ASSERT_EQ(c1.p[i], c4.p[i]);
        }
    }
    EXPECT_EQ(c1.bin, c4.bin);
}

TEST(ChangeWindow, ParseAndOverlap)
{
    const spacetime::Window w = spacetime::parse_window("2012-07-01,2012-10-01", "--before");
    EXPECT_EQ(w.from, timeparse::from_civil(2012, 7, 1));
    EXPECT_EQ(w.to, timeparse::from_civil(2012, 10, 1));
    EXPECT_TRUE(w.contains(timeparse::from_civil(2012, 9, 30, 23, 59, 59)));
    EXPECT_FALSE(w.contains(timeparse::from_civil(2012, 10, 1))); // [from, to)
    EXPECT_FALSE(w.contains(k_no_time));
    const spacetime::Window next = spacetime::parse_window("2012-10-01,2013-01-01", "--after");
    EXPECT_FALSE(spacetime::overlaps(w, next)); // they only touch
    EXPECT_TRUE(spacetime::overlaps(w, spacetime::parse_window("2012-09-30,2012-12-01", "--after")));
    EXPECT_TRUE(spacetime::overlaps(w, spacetime::parse_window("2012-08-01 12:00,2012-08-02", "--after")));
    EXPECT_THROW(spacetime::parse_window("2012-07-01", "--before"), ParameterError);
    EXPECT_THROW(spacetime::parse_window("2012-10-01,2012-07-01", "--before"), ParameterError);
    EXPECT_THROW(spacetime::parse_window("2012-07-01,2012-07-01", "--before"), ParameterError);
    EXPECT_THROW(spacetime::parse_window("july,august", "--before"), ParameterError);
    EXPECT_THROW(spacetime::parse_window("2012-07-01,2012-08-01,2012-09-01", "--before"), ParameterError);
}
