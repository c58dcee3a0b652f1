// SPDX-License-Identifier: MIT
// Distance-band stencils of square lattices: the same neighbours as the lists of
// distance_band on the cell centres (odd shapes, holes, UTM coordinates), and Gi*, local and
// global Moran's I on them the same to the bit as on the lists, for 1, 2 and 7 threads.
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/lattice_weights.hpp"
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace hotmap;
using namespace hotmap::stats;

namespace {

/// A square lattice with holes: the kept cells' ids, positions and centres (GridSpec::centre).
struct Grid {
    std::size_t ncol = 0, nrow = 0;
    double x0 = 0, y0 = 0, cell = 1;
    std::vector<std::size_t> cells;
    std::vector<std::int64_t> position;
    std::vector<Point> centres;
    double maxabs = 0;
};

Grid make_grid(std::size_t ncol, std::size_t nrow, double x0, double y0, double cell, double hole_share, std::mt19937_64& rng)
{
    Grid g;
    g.ncol = ncol;
    g.nrow = nrow;
    g.x0 = x0;
    g.y0 = y0;
    g.cell = cell;
    g.position.assign(ncol * nrow, -1);
    std::uniform_real_distribution<double> u(0, 1);
    for (std::size_t id = 0; id < ncol * nrow; ++id) {
        if (u(rng) < hole_share) continue;
        g.position[id] = static_cast<std::int64_t>(g.cells.size());
        g.cells.push_back(id);
        const Point c{x0 + (static_cast<double>(id % ncol) + 0.5) * cell, y0 + (static_cast<double>(id / ncol) + 0.5) * cell};
        g.centres.push_back(c);
        g.maxabs = std::max({g.maxabs, std::abs(c.x), std::abs(c.y)});
    }
    return g;
}

std::optional<LatticeWeights> stencil(const Grid& g, double band, unsigned threads = 1)
{
    return lattice_distance_band(g.ncol, g.nrow, g.cells, g.position, g.cell, band, g.maxabs, threads);
}

/// Bitwise equality of two double vectors (NaN equal to NaN of the same bits).
::testing::AssertionResult same_bits(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes " << a.size() << " and " << b.size();
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0)
            return ::testing::AssertionFailure() << "at " << i << ": " << a[i] << " vs " << b[i] << " (diff " << a[i] - b[i] << ")";
    return ::testing::AssertionSuccess();
}

} // namespace

TEST(LatticeStencil, SameNeighboursAsDistanceBandLists)
{
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> side(1, 28);
    const double bands[] = {0.5, 1, 1.2, 1.5, 2, 2.5, 3.7, 5, 10, 12.3, 40};
    const double holes[] = {0, 0.3, 0.8};
    std::size_t tried = 0, stenciled = 0;
    for (int t = 0; t < 40; ++t) {
        const bool utm = t % 2 == 1;
        const double cell = t % 3 == 0 ? 25 : t % 3 == 1 ? 1 : 100;
        const Grid g = make_grid(side(rng), side(rng), utm ? 499975 : -50 * cell, utm ? 9'100'000 : 0, cell, holes[t % 3], rng);
        if (g.cells.empty()) continue;
        for (double b : bands) {
            ++tried;
            const auto l = stencil(g, b * cell);
            if (!l) continue;
            ++stenciled;
            const Weights lists = distance_band(g.centres, b * cell, 1);
            const Weights mine = to_weights(*l);
            ASSERT_EQ(mine.start, lists.start) << "trial " << t << ", band " << b << " cells";
            ASSERT_EQ(mine.index, lists.index) << "trial " << t << ", band " << b << " cells";
            EXPECT_EQ(l->links(), lists.links());
        }
    }
    // the bands above that are whole centre distances (1, 2, 2.5, 5, 10, 40 cells) are on the
    // stencil: nothing lies just beyond them
    EXPECT_EQ(stenciled, tried);
}

TEST(LatticeStencil, HandCountsWithAHole)
{
    // 4 x 3 grid, 10 m cells, the cell at row 1, col 1 (id 5) left out; band 10 m = rook
    //   row 2:  8  9 10 11
    //   row 1:  4  .  6  7
    //   row 0:  0  1  2  3
    std::mt19937_64 rng(1);
    Grid g = make_grid(4, 3, 0, 0, 10, 0, rng);
    g.position.assign(12, -1);
    g.cells = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11};
    for (std::size_t k = 0; k < g.cells.size(); ++k) g.position[g.cells[k]] = static_cast<std::int64_t>(k);
    const auto l = stencil(g, 10);
    ASSERT_TRUE(l);
    // units:       0  1  2  3  4  6  7  8  9 10 11 (grid ids)
    EXPECT_EQ(l->counts, (std::vector<std::uint32_t>{2, 2, 3, 2, 2, 3, 3, 2, 2, 3, 2}));
    std::vector<std::size_t> nb;
    l->for_each(5, [&](std::size_t j) { nb.push_back(j); }); // grid cell 6: 2 below, 7 right, 10 above
    EXPECT_EQ(nb, (std::vector<std::size_t>{2, 6, 9}));
    // queen-like band sqrt(2) cells: cell 6 also gets 1, 3, 9, 11 (5 is a hole)
    const auto q = stencil(g, 10 * std::sqrt(2.0) * (1 + 1e-13));
    ASSERT_TRUE(q);
    nb.clear();
    q->for_each(5, [&](std::size_t j) { nb.push_back(j); });
    EXPECT_EQ(nb, (std::vector<std::size_t>{1, 2, 3, 6, 8, 9, 10}));
    // a band just beyond a centre distance, inside the lists' tolerance: no stencil
    EXPECT_FALSE(stencil(g, 10 * (1 - 5e-10)));
    EXPECT_FALSE(stencil(g, 10 - 1e-9 * 10 * 1.5));
}

TEST(LatticeStencil, StatisticsSameBitsAsListsAnyThreads)
{
    const test::ChunkCap cap(16); // several chunks, so 2 and 7 threads really share the work
    std::mt19937_64 rng(7);
    std::poisson_distribution<int> pois(2.0);
    std::uniform_real_distribution<double> u(0, 1);
    struct Case {
        std::size_t ncol, nrow;
        double hole, band;
        bool integral;
    };
    const Case cases[] = {{23, 17, 0.0, 2.5, true}, {31, 9, 0.25, 4.0, false}, {1, 40, 0.1, 3.0, true}, {19, 21, 0.5, 1.5, false}};
    for (const Case& c : cases) {
        const Grid g = make_grid(c.ncol, c.nrow, 499000, 9'000'000, 25, c.hole, rng);
        std::vector<double> x(g.cells.size());
        for (std::size_t k = 0; k < x.size(); ++k) {
            // a hot block in the south-west corner, so that some cells are significant
            const bool hot = g.cells[k] % g.ncol < 5 && g.cells[k] / g.ncol < 5;
            x[k] = pois(rng) + (hot ? 6 : 0) + (c.integral ? 0 : u(rng) * 0.37);
        }
        const std::string what = std::to_string(c.ncol) + " x " + std::to_string(c.nrow) + ", band " + std::to_string(c.band);
        const auto l = stencil(g, c.band * 25);
        ASSERT_TRUE(l) << what;
        const Weights lists = distance_band(g.centres, c.band * 25, 1);
        Weights row = lists;
        row_standardise(row);

        GiOptions go;
        go.permutations = 49;
        go.threads = 1;
        const GiStar gl = getis_ord_gistar(x, lists, go);
        LisaOptions lo;
        lo.permutations = 49;
        lo.threads = 1;
        const LocalMoran ml = local_moran(x, lists, lo);
        const GlobalMoran glob_l = global_moran(x, row, true);
        const GlobalMoran glob_b = global_moran(x, lists, true);
        std::size_t significant = 0;
        for (int b : gl.bin) significant += b != 0;
        EXPECT_GT(significant, 0u) << what;

        for (unsigned threads : {1u, 2u, 7u}) {
            const std::string w = what + ", " + std::to_string(threads) + " threads";
            go.threads = threads;
            lo.threads = threads;
            const GiStar gs = getis_ord_gistar(x, *l, go);
            EXPECT_TRUE(same_bits(gs.z, gl.z)) << w;
            EXPECT_TRUE(same_bits(gs.p, gl.p)) << w;
            EXPECT_TRUE(same_bits(gs.pseudo_p, gl.pseudo_p)) << w;
            EXPECT_EQ(gs.nn, gl.nn) << w;
            EXPECT_EQ(gs.bin, gl.bin) << w;
            const LocalMoran ms = local_moran(x, *l, lo);
            EXPECT_TRUE(same_bits(ms.ii, ml.ii)) << w;
            EXPECT_TRUE(same_bits(ms.z_total, ml.z_total)) << w;
            EXPECT_TRUE(same_bits(ms.p_total, ml.p_total)) << w;
            EXPECT_TRUE(same_bits(ms.var_total, ml.var_total)) << w;
            EXPECT_TRUE(same_bits(ms.z_cond, ml.z_cond)) << w;
            EXPECT_TRUE(same_bits(ms.pseudo_p, ml.pseudo_p)) << w;
            EXPECT_EQ(ms.cotype, ml.cotype) << w;
            EXPECT_EQ(ms.nn, ml.nn) << w;
            const GlobalMoran gw = global_moran(x, *l, true, true);
            EXPECT_TRUE(same_bits({gw.i, gw.variance, gw.z, gw.p_two_sided}, {glob_l.i, glob_l.variance, glob_l.z, glob_l.p_two_sided})) << w;
            const GlobalMoran gb = global_moran(x, *l, false, true);
            EXPECT_TRUE(same_bits({gb.i, gb.variance, gb.z}, {glob_b.i, glob_b.variance, glob_b.z})) << w;
        }
        // binary-style local Moran too (no permutations)
        lo.style = WeightStyle::binary;
        lo.permutations = 0;
        const LocalMoran bl = local_moran(x, lists, lo), bs = local_moran(x, *l, lo);
        EXPECT_TRUE(same_bits(bs.z_total, bl.z_total)) << what;
        EXPECT_EQ(bs.cotype, bl.cotype) << what;
    }
}
