// SPDX-License-Identifier: MIT
// Isoband polygons of a small raster with hand-computed areas (linear interpolation between cell
// centres, marching squares).
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/isobands.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace hotmap;

namespace {

/// A raster of `n` x `n` cells of 10 m at (1000, 2000), values from f(col, row) (row 0 south).
template <class F>
std::pair<grid::GridSpec, std::vector<double>> raster(std::size_t n, F f)
{
    grid::GridSpec g;
    g.x0 = 1000;
    g.y0 = 2000;
    g.cell = 10;
    g.ncol = g.nrow = n;
    std::vector<double> v(n * n);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) v[r * n + c] = f(static_cast<int>(c), static_cast<int>(r));
    return {g, v};
}

double area(const io::Isoband& b) { return geom::Geometry::from_wkb(b.wkb).area(); }

} // namespace

TEST(Isobands, PlateauAreasByHand)
{
    // 7 x 7 cells of 10 m: 20 at the centre cell (3,3), 10 on the 8 cells around it, 0 elsewhere.
    // Levels 5 and 15.
    // v >= 5: the 3 x 3 block of centres (a 20 m square, 4 squares of the centre lattice of
    // 100 m2) is inside; in the 8 squares along its sides the contour runs through the
    // midpoints towards the zeros (half of each inside); in the 4 corner squares only a
    // triangle of legs 5 m (an eighth) is inside: 4 + 8/2 + 4/8 = 8.5 squares = 850 m2.
    // v >= 15: around the centre the contour crosses the 4 edges to the 10s at their midpoints
    //   (4 triangles of legs 5 m): 4 x 12.5 = 50 m2.
    // Bands: [5, 15) = 850 - 50 = 800 m2, [15, max = 20] = 50 m2.
    const auto [g, v] = raster(7, [](int c, int r) {
        const int d = std::max(std::abs(c - 3), std::abs(r - 3));
        return d == 0 ? 20.0 : d == 1 ? 10.0 : 0.0;
    });
    const std::vector<io::Isoband> b = io::isobands(g, v, {5, 15}, std::nullopt);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0].lower, 5);
    EXPECT_EQ(b[0].upper, 15);
    EXPECT_EQ(b[1].lower, 15);
    EXPECT_EQ(b[1].upper, 20); // the last band runs to the raster maximum
    EXPECT_NEAR(area(b[0]), 800, 1e-3); // GDAL nudges crossings by 1e-6 m
    EXPECT_NEAR(area(b[1]), 50, 1e-3);
    // the top band is centred on the centre cell's centre (1035, 2035)
    const Point c = geom::Geometry::from_wkb(b[1].wkb).centroid();
    EXPECT_NEAR(c.x, 1035, 1e-9);
    EXPECT_NEAR(c.y, 2035, 1e-9);
}

TEST(Isobands, InterpolatedCrossingMovesWithTheLevel)
{
    // One centre cell of value 8 on zeros, one level L: the contour crosses each of the 4 edges
    // from the centre at a = 1 - L/8 of the 10 m spacing, a diamond of area 2 (10 a)^2.
    const auto [g, v] = raster(5, [](int c, int r) { return c == 2 && r == 2 ? 8.0 : 0.0; });
    for (double L : {1.0, 2.0, 4.0, 6.0}) {
        const std::vector<io::Isoband> b = io::isobands(g, v, {L}, std::nullopt);
        ASSERT_EQ(b.size(), 1u) << L;
        const double a = 10 * (1 - L / 8);
        EXPECT_NEAR(area(b[0]), 2 * a * a, 1e-3) << "level " << L;
        EXPECT_EQ(b[0].upper, 8);
    }
}

TEST(Isobands, LevelAboveTheMaximumGivesNoBandAndBadLevelsAreRefused)
{
    const auto [g, v] = raster(5, [](int c, int r) { return c == 2 && r == 2 ? 8.0 : 0.0; });
    // [2, 9): the one band; 9 and above: no area at all, omitted
    const std::vector<io::Isoband> b = io::isobands(g, v, {2, 9}, std::nullopt);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].lower, 2);
    EXPECT_NEAR(area(b[0]), 2 * 7.5 * 7.5, 1e-3);
    EXPECT_THROW(io::isobands(g, v, {3, 2}, std::nullopt), ParameterError);
    EXPECT_THROW(io::isobands(g, v, {2, 2}, std::nullopt), ParameterError);
    EXPECT_THROW(io::isobands(g, v, {}, std::nullopt), ParameterError);
}
