// SPDX-License-Identifier: MIT
// Spatial weights: `--distance auto` (first peak of global Moran's I z, else the k-th-neighbour
// mean distance) against an independent brute-force computation, and rook vs queen contiguity
// on a 3 x 3 block of squares.
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

using namespace hotmap;
using namespace hotmap::stats;

namespace {

/// Halton sequence value i (>= 1) in base b: a deterministic, well-spread point set that does not
/// depend on any library's random number generator.
double halton(unsigned i, unsigned b)
{
    double f = 1, r = 0;
    while (i > 0) {
        f /= b;
        r += f * static_cast<double>(i % b);
        i /= b;
    }
    return r;
}

/// 100 Halton points in a 1000 x 1000 square; value = two gaussian bumps of width `sigma`.
struct BumpCase {
    std::vector<Point> pts;
    std::vector<double> x;
    explicit BumpCase(double sigma)
    {
        for (unsigned i = 1; i <= 100; ++i) {
            const Point p{1000 * halton(i, 2), 1000 * halton(i, 3)};
            pts.push_back(p);
            const auto bump = [&](double cx, double cy) {
                return std::exp(-((p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy)) / (2 * sigma * sigma));
            };
            x.push_back(bump(300, 300) + bump(700, 650));
        }
    }
};

/// Brute-force neighbour lists within `band` (j != i, distance <= band).
std::vector<std::vector<std::size_t>> brute_band(const std::vector<Point>& pts, double band)
{
    std::vector<std::vector<std::size_t>> nb(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i)
        for (std::size_t j = 0; j < pts.size(); ++j)
            if (i != j && std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) <= band * (1 + 1e-12)) nb[i].push_back(j);
    return nb;
}

/// Mean over points of the distance to the k-th nearest other point, k = 5% of n clamped to 3..30.
double brute_knn_mean(const std::vector<Point>& pts)
{
    const std::size_t n = pts.size();
    const std::size_t k = std::min<std::size_t>(n - 1, std::clamp<std::size_t>(n / 20, 3, 30));
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> d;
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) d.push_back(std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y));
        std::sort(d.begin(), d.end());
        s += d[k - 1];
    }
    return s / static_cast<double>(n);
}

/// Global Moran's I z with symmetric binary weights under randomisation (Cliff & Ord; spdep
/// moran.test, randomisation = TRUE), written out from the textbook formula. Every unit must
/// have a neighbour (checked by the caller).
double moran_z_binary(const std::vector<double>& x, const std::vector<std::vector<std::size_t>>& nb)
{
    const double n = static_cast<double>(x.size());
    double mean = 0;
    for (double v : x) mean += v;
    mean /= n;
    double zz = 0, z4 = 0, s0 = 0, cross = 0, s2 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double zi = x[i] - mean;
        zz += zi * zi;
        z4 += zi * zi * zi * zi;
        s0 += static_cast<double>(nb[i].size());
        for (std::size_t j : nb[i]) cross += zi * (x[j] - mean);
        s2 += 4.0 * static_cast<double>(nb[i].size() * nb[i].size()); // (row sum + column sum)^2
    }
    const double s1 = 2 * s0; // binary and symmetric: 1/2 sum (w_ij + w_ji)^2 = 2 S0
    const double i_stat = n / s0 * cross / zz;
    const double e = -1 / (n - 1);
    const double k = n * z4 / (zz * zz);
    const double a = n * (s1 * (n * n - 3 * n + 3) - n * s2 + 3 * s0 * s0);
    const double b = k * (s1 * (n * n - n) - 2 * n * s2 + 6 * s0 * s0);
    const double var = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - e * e;
    return (i_stat - e) / std::sqrt(var);
}

/// The bands `--distance auto` tries, d0 * (1 + 0.25 s) for s = 0..9, and the z of each.
std::vector<double> z_series(const std::vector<Point>& pts, const std::vector<double>& x, double d0)
{
    std::vector<double> z;
    for (int s = 0; s < 10; ++s) {
        const auto nb = brute_band(pts, d0 * (1 + 0.25 * s));
        for (const auto& row : nb) EXPECT_FALSE(row.empty()) << "band " << s << ": a unit without neighbours";
        z.push_back(moran_z_binary(x, nb));
    }
    return z;
}

/// Index of the first local peak of z (z[s-1] < z[s] > z[s+1]), -1 when none.
int first_peak(const std::vector<double>& z)
{
    for (std::size_t s = 1; s + 1 < z.size(); ++s)
        if (z[s] > z[s - 1] && z[s] > z[s + 1]) return static_cast<int>(s);
    return -1;
}

using Rings = std::vector<std::vector<std::vector<Point>>>;

/// Closed unit square with its south-west corner at (x, y); `split` adds the midpoint of every edge.
std::vector<std::vector<Point>> square(double x, double y, bool split = false)
{
    std::vector<Point> r;
    const Point c[4] = {{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}};
    for (int k = 0; k < 4; ++k) {
        r.push_back(c[k]);
        if (split) r.push_back({(c[k].x + c[(k + 1) % 4].x) / 2, (c[k].y + c[(k + 1) % 4].y) / 2});
    }
    r.push_back(c[0]);
    return {r};
}

std::set<std::uint32_t> row_of(const Weights& w, std::size_t i)
{
    return {w.index.begin() + static_cast<std::ptrdiff_t>(w.start[i]), w.index.begin() + static_cast<std::ptrdiff_t>(w.start[i + 1])};
}

/// 3 x 3 squares, index = row*3 + col (row 0 south); expected neighbours by the definition:
/// rook = a shared edge (|dr| + |dc| == 1), queen = a shared edge or corner (max(|dr|, |dc|) == 1).
void check_three_by_three(const Rings& rings, const char* what)
{
    const Weights rook = contiguity(rings, Contiguity::rook);
    const Weights queen = contiguity(rings, Contiguity::queen);
    ASSERT_EQ(rook.size(), 9u);
    ASSERT_EQ(queen.size(), 9u);
    for (int i = 0; i < 9; ++i) {
        std::set<std::uint32_t> r, q;
        for (int j = 0; j < 9; ++j) {
            const int dr = std::abs(i / 3 - j / 3), dc = std::abs(i % 3 - j % 3);
            if (dr + dc == 1) r.insert(static_cast<std::uint32_t>(j));
            if (i != j && std::max(dr, dc) == 1) q.insert(static_cast<std::uint32_t>(j));
        }
        EXPECT_EQ(row_of(rook, static_cast<std::size_t>(i)), r) << what << ": rook, square " << i;
        EXPECT_EQ(row_of(queen, static_cast<std::size_t>(i)), q) << what << ": queen, square " << i;
    }
    // corner squares: 2 rook neighbours, 3 queen; edge squares 3 / 5; the centre 4 / 8
    EXPECT_EQ(rook.count(0), 2u);
    EXPECT_EQ(queen.count(0), 3u);
    EXPECT_EQ(rook.count(1), 3u);
    EXPECT_EQ(queen.count(1), 5u);
    EXPECT_EQ(rook.count(4), 4u);
    EXPECT_EQ(queen.count(4), 8u);
    EXPECT_EQ(rook.links(), 24u);  // 12 shared edges, both ways
    EXPECT_EQ(queen.links(), 40u); // + 4 corner pairs x 2 diagonals, both ways
}

} // namespace

TEST(AutoDistance, KnnMeanDistanceIsTheKthNeighbourMean)
{
    const BumpCase c(150);
    // n = 100: k = 5
    EXPECT_NEAR(knn_mean_distance(c.pts, 1), brute_knn_mean(c.pts), 1e-9);
    // n = 30: k = 5% of 30 = 1, clamped to 3
    const std::vector<Point> few(c.pts.begin(), c.pts.begin() + 30);
    EXPECT_NEAR(knn_mean_distance(few, 1), brute_knn_mean(few), 1e-9);
    // n = 1000 (10 x 100 copies shifted): k = 50, clamped to 30
    std::vector<Point> many;
    for (int s = 0; s < 10; ++s)
        for (const Point& p : c.pts) many.push_back({p.x + 2000.0 * s, p.y});
    EXPECT_NEAR(knn_mean_distance(many, 2), brute_knn_mean(many), 1e-9);
}

TEST(AutoDistance, PicksTheFirstPeakOfMoransZ)
{
    // wide bumps (sigma 150): z rises with the band, then falls once the band outgrows them
    const BumpCase c(150);
    const double d0 = brute_knn_mean(c.pts);
    const std::vector<double> z = z_series(c.pts, c.x, d0);
    const int peak = first_peak(z);
    ASSERT_EQ(peak, 3) << "the constructed case must have its first peak at the 4th band (1.75 d0)";
    // the library's own global Moran (binary, randomisation) agrees with the textbook formula
    for (int s = 0; s < 10; ++s) {
        const GlobalMoran g = global_moran(c.x, distance_band(c.pts, d0 * (1 + 0.25 * s), 1), true);
        EXPECT_NEAR(g.z, z[static_cast<std::size_t>(s)], 1e-9) << "band " << s;
    }
    const double got = auto_distance(c.pts, c.x, 1);
    EXPECT_NEAR(got, d0 * 1.75, 1e-9 * d0);
    EXPECT_EQ(auto_distance(c.pts, c.x, 3), got); // any thread count
}

TEST(AutoDistance, FallsBackToTheKnnMeanWithoutAPeak)
{
    // narrow bumps (sigma 60): z only falls as the band grows, so there is no peak
    const BumpCase c(60);
    const double d0 = brute_knn_mean(c.pts);
    const std::vector<double> z = z_series(c.pts, c.x, d0);
    ASSERT_EQ(first_peak(z), -1);
    EXPECT_GT(z.front(), z.back());
    EXPECT_NEAR(auto_distance(c.pts, c.x, 1), d0, 1e-9 * d0);
}

TEST(AutoDistance, FullSquareLatticeFallbackIsTheHandComputedDistance)
{
    // 10 x 10 centres 100 m apart, value = column (a linear trend: z grows with every band).
    // k = 5: the 5th nearest neighbour is at 100*sqrt(2) for the 96 non-corner cells and at 200
    // for the 4 corners, so d0 = (96*100*sqrt(2) + 4*200) / 100.
    std::vector<Point> pts;
    std::vector<double> x;
    for (int r = 0; r < 10; ++r)
        for (int col = 0; col < 10; ++col) {
            pts.push_back({500050.0 + 100 * col, 9340050.0 + 100 * r});
            x.push_back(col + 1);
        }
    const double d0 = (96 * 100 * std::sqrt(2.0) + 4 * 200) / 100;
    EXPECT_NEAR(knn_mean_distance(pts, 1), d0, 1e-9);
    EXPECT_NEAR(auto_distance(pts, x, 1), d0, 1e-9);
}

TEST(Contiguity, RookAndQueenOnThreeByThreeSquares)
{
    Rings rings;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) rings.push_back(square(c, r));
    check_three_by_three(rings, "plain squares");
}

TEST(Contiguity, RookSeesAnEdgeSplitByExtraVerticesOnOneSide)
{
    // the centre square carries the midpoint of each edge; its neighbours do not: the shared
    // edges are still edges (the other side has the two end vertices)
    Rings rings;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) rings.push_back(square(c, r, r == 1 && c == 1));
    check_three_by_three(rings, "centre split");
}

TEST(Contiguity, RookAndQueenWithinTheSnapTolerance)
{
    // every vertex moved by 0.4e-8 map units in x and in y, in alternating directions: copies of
    // one corner are at most 1.13e-8 apart (less than the 1.49e-8 snap): same neighbours
    Rings rings;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            auto sq = square(c, r);
            for (auto& v : sq[0]) {
                v.x += (r * 3 + c) % 2 ? 0.4e-8 : -0.4e-8;
                v.y += (r + c) % 2 ? 0.4e-8 : -0.4e-8;
            }
            sq[0].back() = sq[0].front();
            rings.push_back(sq);
        }
    check_three_by_three(rings, "snapped squares");
}
