// SPDX-License-Identifier: MIT
// Conditional permutation pseudo-p of Gi* (GiPseudoP) and local Moran (LMiPseudoP): the values
// are (k+1)/(R+1), folded, seeded, the same for any thread count and chunking, and their
// distribution matches the exact draw probability on a constructed case.
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/permutation.hpp"
#include "hotmap/stats/weights.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace hotmap;
using namespace hotmap::stats;

namespace {

/// 21 units on a line, 1 apart, neighbours within 1 (a chain): unit 0 has the single neighbour
/// unit 1, unit 20 the single neighbour unit 19. Values: x0 = 15, x1 = 100 (the unique
/// maximum), x_i = i - 2 for i = 2..20 (0..18); mean 286/21 = 13.6, so x0, x1, x19 and x20 are
/// above the mean.
///
/// Exact probabilities of a draw at least as extreme as observed (one neighbour drawn from the
/// 20 other units), the same for Gi* (sum of neighbour values) and local Moran (x_i above the
/// mean, so I_i grows with the neighbour's value):
///   unit 0:  only unit 1 itself reaches x1 = 100                  -> P = 1/20
///   unit 20: x19 = 17 is reached by x1 = 100 and x19 = 17           -> P = 2/20
/// With R draws, k ~ Binomial(R, P) and the pseudo-p is (k+1)/(R+1).
struct Chain {
    std::vector<Point> pts;
    std::vector<double> x;
    Weights w;
    Chain()
    {
        for (int i = 0; i <= 20; ++i) {
            pts.push_back({static_cast<double>(i), 0.0});
            x.push_back(i == 0 ? 15.0 : i == 1 ? 100.0 : static_cast<double>(i - 2));
        }
        w = distance_band(pts, 1.0, 1);
    }
};

/// A 12 x 12 lattice of values with some structure (for the thread and seed checks).
struct Field {
    std::vector<Point> pts;
    std::vector<double> x;
    Weights w;
    Field()
    {
        for (int r = 0; r < 12; ++r)
            for (int c = 0; c < 12; ++c) {
                pts.push_back({static_cast<double>(c), static_cast<double>(r)});
                x.push_back(static_cast<double>((c * 7 + r * 13) % 11) + (c < 4 && r < 4 ? 9.0 : 0.0));
            }
        w = distance_band(pts, 1.5, 1);
    }
};

/// Every value is (k+1)/(R+1) for an integer k in [0, R]: within [1/(R+1), 1].
void check_values(const std::vector<double>& p, unsigned R, const std::string& what)
{
    ASSERT_FALSE(p.empty()) << what;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double k = p[i] * (R + 1.0) - 1.0;
        EXPECT_NEAR(k, std::round(k), 1e-6) << what << " unit " << i << ": " << p[i];
        EXPECT_GE(p[i], 1.0 / (R + 1.0) - 1e-15) << what << " unit " << i;
        EXPECT_LE(p[i], 1.0) << what << " unit " << i;
    }
}

std::vector<double> gi_pseudo(const std::vector<double>& x, const Weights& w, unsigned R, std::uint64_t seed, unsigned threads)
{
    GiOptions o;
    o.permutations = R;
    o.seed = seed;
    o.threads = threads;
    return getis_ord_gistar(x, w, o).pseudo_p;
}

std::vector<double> lisa_pseudo(const std::vector<double>& x, const Weights& w, unsigned R, std::uint64_t seed, unsigned threads)
{
    LisaOptions o;
    o.permutations = R;
    o.seed = seed;
    o.threads = threads;
    return local_moran(x, w, o).pseudo_p;
}

/// The pseudo-p of a unit with exact draw probability P, within 5 binomial standard deviations.
void check_distribution(double p, double P, unsigned R, const std::string& what)
{
    const double mean = (R * P + 1) / (R + 1.0);
    const double sd = std::sqrt(R * P * (1 - P)) / (R + 1.0);
    EXPECT_NEAR(p, mean, 5 * sd) << what;
}

} // namespace

TEST(PermutationPseudoP, GiStarValuesAreFoldedCountsOverRPlusOne)
{
    const Chain c;
    const Field f;
    for (unsigned R : {99u, 999u}) {
        check_values(gi_pseudo(c.x, c.w, R, 1, 1), R, "chain Gi* R=" + std::to_string(R));
        check_values(gi_pseudo(f.x, f.w, R, 1, 1), R, "field Gi* R=" + std::to_string(R));
    }
    // no permutations: no pseudo-p at all
    EXPECT_TRUE(getis_ord_gistar(c.x, c.w, GiOptions{}).pseudo_p.empty());
}

TEST(PermutationPseudoP, LocalMoranValuesAreFoldedCountsOverRPlusOne)
{
    const Chain c;
    const Field f;
    for (unsigned R : {99u, 999u}) {
        check_values(lisa_pseudo(c.x, c.w, R, 1, 1), R, "chain LISA R=" + std::to_string(R));
        check_values(lisa_pseudo(f.x, f.w, R, 1, 1), R, "field LISA R=" + std::to_string(R));
    }
}

TEST(PermutationPseudoP, GiStarMatchesTheExactDrawProbability)
{
    const Chain c;
    const unsigned R = 9999;
    const std::vector<double> a = gi_pseudo(c.x, c.w, R, 11, 1);
    const std::vector<double> b = gi_pseudo(c.x, c.w, R, 12, 1);
    check_distribution(a[0], 1 / 20.0, R, "Gi* unit 0, seed 11");
    check_distribution(b[0], 1 / 20.0, R, "Gi* unit 0, seed 12");
    check_distribution(a[20], 2 / 20.0, R, "Gi* unit 20, seed 11");
    check_distribution(b[20], 2 / 20.0, R, "Gi* unit 20, seed 12");
    EXPECT_NE(a, b) << "different seeds give the same pseudo-p";
    EXPECT_EQ(a, gi_pseudo(c.x, c.w, R, 11, 1)) << "the same seed gives different pseudo-p";
}

TEST(PermutationPseudoP, LocalMoranMatchesTheExactDrawProbability)
{
    const Chain c;
    const unsigned R = 9999;
    const std::vector<double> a = lisa_pseudo(c.x, c.w, R, 11, 1);
    const std::vector<double> b = lisa_pseudo(c.x, c.w, R, 12, 1);
    check_distribution(a[0], 1 / 20.0, R, "LISA unit 0, seed 11");
    check_distribution(b[0], 1 / 20.0, R, "LISA unit 0, seed 12");
    check_distribution(a[20], 2 / 20.0, R, "LISA unit 20, seed 11");
    check_distribution(b[20], 2 / 20.0, R, "LISA unit 20, seed 12");
    EXPECT_NE(a, b);
    EXPECT_EQ(a, lisa_pseudo(c.x, c.w, R, 11, 1));
}

TEST(PermutationPseudoP, SeedsDifferButAgreeInDistribution)
{
    // over the 144 units of the field, two seeds give different values whose means agree
    const Field f;
    const unsigned R = 999;
    for (const bool lisa : {false, true}) {
        const auto a = lisa ? lisa_pseudo(f.x, f.w, R, 100, 1) : gi_pseudo(f.x, f.w, R, 100, 1);
        const auto b = lisa ? lisa_pseudo(f.x, f.w, R, 200, 1) : gi_pseudo(f.x, f.w, R, 200, 1);
        std::size_t differ = 0;
        double ma = 0, mb = 0, maxdiff = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            differ += a[i] != b[i];
            ma += a[i] / static_cast<double>(a.size());
            mb += b[i] / static_cast<double>(b.size());
            maxdiff = std::max(maxdiff, std::fabs(a[i] - b[i]));
        }
        EXPECT_GT(differ, a.size() / 2) << (lisa ? "LISA" : "Gi*");
        EXPECT_NEAR(ma, mb, 0.01) << (lisa ? "LISA" : "Gi*");
        // each p is estimated with sd <= sqrt(0.25 / 999) = 0.016: two seeds stay within 0.1
        EXPECT_LT(maxdiff, 0.1) << (lisa ? "LISA" : "Gi*");
    }
}

TEST(PermutationPseudoP, IdenticalForOneTwoAndSevenThreadsInSmallChunks)
{
    const Field f;
    const test::ChunkCap cap(5); // 144 units in 29 chunks: several threads really share the work
    for (const bool lisa : {false, true}) {
        const auto one = lisa ? lisa_pseudo(f.x, f.w, 199, 3, 1) : gi_pseudo(f.x, f.w, 199, 3, 1);
        const auto two = lisa ? lisa_pseudo(f.x, f.w, 199, 3, 2) : gi_pseudo(f.x, f.w, 199, 3, 2);
        const auto seven = lisa ? lisa_pseudo(f.x, f.w, 199, 3, 7) : gi_pseudo(f.x, f.w, 199, 3, 7);
        ASSERT_EQ(one.size(), f.x.size());
        EXPECT_EQ(one, two) << (lisa ? "LISA" : "Gi*");
        EXPECT_EQ(one, seven) << (lisa ? "LISA" : "Gi*");
        // and the direct call agrees with the statistic's own
        const auto direct = permutation_pseudo_p(f.x, lisa ? [&] { Weights w = f.w; row_standardise(w); return w; }() : f.w,
                                                 lisa ? PermStat::local_moran : PermStat::gistar, 199, 3, 7);
        EXPECT_EQ(one, direct) << (lisa ? "LISA" : "Gi*");
    }
}

TEST(PermutationPseudoP, UnitsWithoutNeighboursHaveNoPseudoP)
{
    // unit 3 is far from the others: NaN pseudo-p, the rest finite
    const std::vector<Point> pts = {{0, 0}, {1, 0}, {2, 0}, {100, 0}, {3, 0}};
    const Weights w = distance_band(pts, 1.0, 1);
    const std::vector<double> x = {1, 5, 2, 9, 4};
    const auto g = gi_pseudo(x, w, 99, 1, 1);
    const auto l = lisa_pseudo(x, w, 99, 1, 1);
    for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(std::isnan(g[i]), i == 3) << i;
        EXPECT_EQ(std::isnan(l[i]), i == 3) << i;
    }
}

TEST(PermutationPseudoP, GiStarTiesAtTheLowEndAreNotSignificant)
{
    // A sparse 10 x 10 grid (counts 5, 5, 5 in one corner, 1 far away, 0 elsewhere: typical of
    // incident grids). The cell (9, 0) and its three neighbours (queen, band 1.5) are all 0: its
    // neighbour sum is the smallest possible, and a draw of 3 of the 99 other cells is as
    // extreme (as low) whenever it draws three zeros: P = C(95,3)/C(99,3) = 0.8825. Nothing
    // about this cell is unusual, so its pseudo-p must be large, not the smallest possible.
    // (Fails with hotmap 0.1.0: ties count only as ">= observed", so k = R, and the fold
    // min(k, R - k) gives k = 0 and pseudo-p 1/(R+1) to about 78 of the 100 cells.)
    std::vector<Point> pts;
    std::vector<double> x;
    for (int r = 0; r < 10; ++r)
        for (int c = 0; c < 10; ++c) {
            pts.push_back({static_cast<double>(c), static_cast<double>(r)});
            const bool hot = (r == 7 && c == 2) || (r == 7 && c == 3) || (r == 8 && c == 2);
            x.push_back(hot ? 5.0 : (r == 2 && c == 7) ? 1.0 : 0.0);
        }
    const Weights w = distance_band(pts, 1.5, 1);
    const std::size_t i = 9; // row 0, col 9
    ASSERT_EQ(w.count(i), 3u);
    const std::vector<double> p = gi_pseudo(x, w, 999, 1, 1);
    check_values(p, 999, "sparse grid Gi*");
    EXPECT_GT(p[i], 0.5) << "a cell with only zeros around it in a grid of zeros gets pseudo-p " << p[i];
    std::size_t smallest = 0;
    for (double v : p) smallest += v == 1 / 1000.0;
    EXPECT_LT(smallest, 10u) << smallest << " of 100 cells have the smallest possible pseudo-p";
}
