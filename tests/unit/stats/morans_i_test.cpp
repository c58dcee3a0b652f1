// SPDX-License-Identifier: MIT
// Local Moran's I cluster/outlier classes (COType) on a constructed lattice, against an
// independent implementation of the reference formulas (reference/README.md §c) and
// Benjamini-Hochberg.
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

using namespace hotmap;
using namespace hotmap::stats;

namespace {

constexpr int N = 8;
std::size_t at(int c, int r) { return static_cast<std::size_t>(r * N + c); }

/// 8 x 8 unit lattice, rook neighbours (distance band 1). Background 5; a 3 x 3 block of 10 in
/// the south-west with a 0 "pit" in its middle, a 3 x 3 block of 0 in the north-east with a 10
/// "spike" in its middle. The mean is exactly 5 (80 + 10 + 46*5 = 320 over 64 units).
/// Expected by construction: the pit is a low value among four highs (LH), the spike a high
/// value among four lows (HL); the block corners, which do not touch the pit or spike (their
/// rook neighbours are two block units and the background), are clusters (HH south-west, LL
/// north-east); the block's edge middles touch the pit or spike and are diluted. Significance
/// is checked against an independent computation below, not assumed.
struct Lattice {
    std::vector<Point> pts;
    std::vector<double> x;
    std::map<std::size_t, std::string> expected;
    explicit Lattice(double background = 5)
    {
        for (int r = 0; r < N; ++r)
            for (int c = 0; c < N; ++c) pts.push_back({static_cast<double>(c), static_cast<double>(r)});
        x.assign(N * N, background);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) {
                x[at(c, r)] = 10;
                x[at(c + 5, r + 5)] = 0;
            }
        x[at(1, 1)] = 0;
        x[at(6, 6)] = 10;
        for (auto [c, r] : {std::pair{0, 0}, {2, 0}, {0, 2}, {2, 2}}) {
            expected[at(c, r)] = "HH";
            expected[at(c + 5, r + 5)] = "LL";
        }
        expected[at(1, 1)] = "LH";
        expected[at(6, 6)] = "HL";
    }
};

struct Independent {
    std::vector<double> ii, z, p, dev, lag;
};

/// Row-standardised local Moran, total randomisation, written from reference/README.md §c.
Independent independent_local_moran(const std::vector<double>& x, const Weights& w)
{
    const std::size_t n = x.size();
    const double nd = static_cast<double>(n);
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / nd;
    std::vector<double> z(n);
    double m2 = 0, m4 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        z[i] = x[i] - mean;
        m2 += z[i] * z[i] / nd;
        m4 += z[i] * z[i] * z[i] * z[i] / nd;
    }
    const double b2 = m4 / (m2 * m2);
    Independent r;
    r.dev = z;
    for (std::size_t i = 0; i < n; ++i) {
        const double k = static_cast<double>(w.count(i));
        double lz = 0;
        for (std::size_t l = w.start[i]; l < w.start[i + 1]; ++l) lz += z[w.index[l]] / k;
        const double wi = 1, w2 = 1 / k;
        const double ii = z[i] * lz / m2;
        const double e = -wi / (nd - 1);
        const double var = (nd - b2) / (nd - 1) * w2 + (2 * b2 - nd) / ((nd - 1) * (nd - 2)) * (wi * wi - w2) - e * e;
        const double zz = (ii - e) / std::sqrt(var);
        r.ii.push_back(ii);
        r.z.push_back(zz);
        r.p.push_back(std::erfc(std::fabs(zz) / std::sqrt(2.0)));
        r.lag.push_back(lz);
    }
    return r;
}

/// Benjamini-Hochberg step-up at q: the largest rank k with p_(k) <= k/m q, and every p at or
/// below rank k passes.
std::vector<bool> bh(const std::vector<double>& p, double q)
{
    std::vector<std::size_t> idx(p.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::size_t k = 0;
    for (std::size_t r = 0; r < idx.size(); ++r)
        if (p[idx[r]] <= static_cast<double>(r + 1) / static_cast<double>(p.size()) * q) k = r + 1;
    std::vector<bool> pass(p.size(), false);
    for (std::size_t r = 0; r < k; ++r) pass[idx[r]] = true;
    return pass;
}

std::string quadrant(double dev, double lag) { return std::string(dev >= 0 ? "H" : "L") + (lag >= 0 ? "H" : "L"); }

} // namespace

TEST(LocalMoranCoType, ClustersAndOutliersOnAConstructedLattice)
{
    const Lattice L;
    const Weights w = distance_band(L.pts, 1.0, 1);
    ASSERT_EQ(w.count(at(0, 0)), 2u);
    ASSERT_EQ(w.count(at(1, 1)), 4u);
    LisaOptions o;
    o.permutations = 0; // COType from the analytical p, with FDR (the default)
    const LocalMoran m = local_moran(L.x, w, o);
    const Independent ind = independent_local_moran(L.x, w);
    const std::vector<bool> sig = bh(ind.p, 0.05);
    // hand values: m2 = 18 * 25 / 64 = 7.03125; a block corner has z = +-5 and a lag of +-5
    const double m2 = 18 * 25 / 64.0;
    EXPECT_NEAR(m.ii[at(0, 0)], 25 / m2, 1e-12);
    EXPECT_NEAR(m.ii[at(7, 7)], 25 / m2, 1e-12);
    EXPECT_NEAR(m.ii[at(1, 1)], -25 / m2, 1e-12); // pit: z = -5, its four neighbours +5
    EXPECT_NEAR(m.ii[at(6, 6)], -25 / m2, 1e-12);
    EXPECT_EQ(m.ii[at(4, 3)], 0.0); // background at the mean
    std::size_t flagged = 0;
    for (std::size_t i = 0; i < L.x.size(); ++i) {
        EXPECT_NEAR(m.ii[i], ind.ii[i], 1e-12) << i;
        EXPECT_NEAR(m.z_total[i], ind.z[i], 1e-9) << i;
        EXPECT_NEAR(m.p_total[i], ind.p[i], 1e-9) << i;
        const std::string want_ind = sig[i] ? quadrant(ind.dev[i], ind.lag[i]) : "";
        const auto e = L.expected.find(i);
        const std::string want = e == L.expected.end() ? "" : e->second;
        EXPECT_EQ(want_ind, want) << "independent classes differ from the construction at " << i;
        EXPECT_EQ(m.cotype[i], want) << "unit (" << i % N << "," << i / N << ")";
        flagged += !m.cotype[i].empty();
    }
    EXPECT_EQ(flagged, 10u);
}

TEST(LocalMoranCoType, PlainThresholdFlagsMoreThanFdr)
{
    // without FDR, p <= 0.05 alone: the independent count of p <= 0.05 units
    const Lattice L;
    const Weights w = distance_band(L.pts, 1.0, 1);
    LisaOptions o;
    o.permutations = 0;
    o.fdr = false;
    const LocalMoran m = local_moran(L.x, w, o);
    const Independent ind = independent_local_moran(L.x, w);
    for (std::size_t i = 0; i < L.x.size(); ++i) {
        const std::string want = ind.p[i] <= 0.05 ? quadrant(ind.dev[i], ind.lag[i]) : "";
        EXPECT_EQ(m.cotype[i], want) << i;
    }
}

TEST(LocalMoranCoType, PermutationClassesOnTheConstructedLattice)
{
    // Background 5.5 (no unit sits exactly at the mean 343/64 = 5.36), 999 permutations, plain
    // 0.05. Exact conditional-permutation probabilities, by hand:
    //  - the pit (z < 0, its 4 neighbours the highest value): no draw of 4 of the 63 other units
    //    has a larger mean, every draw is "as extreme" on the low side, so the folded count is 0
    //    and the pseudo-p is exactly 1/(R+1); the same for the spike;
    //  - the lattice corners (0,0) and (7,7) (2 neighbours, both of the block's value): a draw is
    //    as extreme only when both units come from the 8 other units of that value:
    //    P = C(8,2) / C(63,2) = 28/1953 = 0.01434.
    const Lattice L(5.5);
    const Weights w = distance_band(L.pts, 1.0, 1);
    LisaOptions o;
    o.permutations = 999;
    o.seed = 7;
    o.fdr = false;
    const LocalMoran m = local_moran(L.x, w, o);
    ASSERT_EQ(m.pseudo_p.size(), L.x.size());
    const double R = 999;
    EXPECT_EQ(m.pseudo_p[at(1, 1)], 1 / (R + 1));
    EXPECT_EQ(m.pseudo_p[at(6, 6)], 1 / (R + 1));
    EXPECT_EQ(m.cotype[at(1, 1)], "LH");
    EXPECT_EQ(m.cotype[at(6, 6)], "HL");
    const double P = 28.0 / 1953.0, sd = std::sqrt(R * P * (1 - P)) / (R + 1);
    for (const std::size_t i : {at(0, 0), at(7, 7)}) {
        EXPECT_NEAR(m.pseudo_p[i], (R * P + 1) / (R + 1), 5 * sd) << i;
        EXPECT_EQ(m.cotype[i], L.expected.at(i)) << i;
    }
    // a background unit far from both blocks is not significant (its neighbours are the
    // background too: about half the draws are more extreme)
    EXPECT_GT(m.pseudo_p[at(4, 0)], 0.2);
    EXPECT_EQ(m.cotype[at(4, 0)], "");
}

TEST(LocalMoranCoType, UnitAtTheMeanIsNeverSignificantUnderPermutation)
{
    // A unit whose value equals the mean has I_i = 0 in every permutation: no draw is more
    // extreme than the observed value, so it cannot be significant and has no COType.
    // (Fails with hotmap 0.1.0: every draw ties, the count of draws >= observed is R, and the
    // PySAL-style fold min(k, R - k) turns it into k = 0, pseudo-p 1/(R+1), COType "HH".)
    const Lattice L; // background exactly at the mean 5 (46 units)
    const Weights w = distance_band(L.pts, 1.0, 1);
    LisaOptions o;
    o.permutations = 999;
    o.seed = 7;
    o.fdr = false;
    const LocalMoran m = local_moran(L.x, w, o);
    const std::size_t i = at(4, 3);
    ASSERT_EQ(L.x[i], 5.0);
    EXPECT_EQ(m.ii[i], 0.0);
    EXPECT_GT(m.pseudo_p[i], 0.05) << "a unit at the mean (I = 0 in every permutation) gets pseudo-p " << m.pseudo_p[i];
    EXPECT_EQ(m.cotype[i], "") << "a unit at the mean is labelled a significant " << m.cotype[i];
}
