// SPDX-License-Identifier: MIT
// Tests of the polynomial lon/lat tiles against PROJ itself.
#include "hotmap/crs/lonlat_tiles.hpp"
#include "hotmap/parallel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace hotmap;

namespace {

struct Case {
    int epsg;
    double lon, lat, span; ///< points uniform in [lon, lon + span] x [lat, lat + span]
};

// Largest difference between the tiles' and PROJ's coordinates over `n` random points, as a
// fraction of the tile tolerance there.
double max_difference(const Case& c, std::size_t n, const crs::LonLatTiles** out_tiles = nullptr, unsigned threads = 1)
{
    const crs::Crs from = crs::Crs::epsg(4326), to = crs::Crs::epsg(c.epsg);
    std::mt19937_64 rng(static_cast<std::uint64_t>(c.epsg) * 1000 + static_cast<std::uint64_t>(std::abs(c.lat)));
    std::uniform_real_distribution<double> U(0, 1);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = c.lon + c.span * U(rng);
        y[i] = c.lat + c.span * U(rng);
    }
    // points exactly on tile edges and corners too
    x[0] = std::floor(c.lon * 16) / 16 + 1.0 / 16;
    y[0] = std::floor(c.lat * 16) / 16 + 1.0 / 16;
    x[1] = x[0];
    y[1] = c.lat + c.span / 2;
    static std::unique_ptr<crs::LonLatTiles> keep;
    keep = std::make_unique<crs::LonLatTiles>(from, to, x.data(), y.data(), n, sizeof(double), threads);
    if (out_tiles) *out_tiles = keep.get();
    std::vector<double> ex = x, ey = y;
    crs::LazyTransformer t(from, to);
    t.get().transform(ex.data(), ey.data(), n);
    keep->transform(t, x.data(), y.data(), n, sizeof(double));
    double d = 0; // as a fraction of the tile tolerance
    for (std::size_t i = 0; i < n; ++i)
        d = std::max({d, std::abs(x[i] - ex[i]) / crs::tile_tolerance(ex[i], ey[i]),
                      std::abs(y[i] - ey[i]) / crs::tile_tolerance(ex[i], ey[i])});
    return d;
}

} // namespace

TEST(LonLatTiles, EqualProjWithinTheTolerance)
{
    // UTM on and far off its central meridian, at the equator, mid and high latitudes; Web
    // Mercator near its limit; a Lambert conformal conic; a state plane in US feet
    const Case cases[] = {
        {32735, 29.05, -6.05, 0.3},  // Kalemie, zone 35S (central meridian 27 E)
        {32735, 23.5, -6.3, 0.4},    // 3.5 degrees west of the meridian
        {32616, -90.2, 34.9, 0.5},   // Memphis
        {32616, -84.2, 41.8, 0.3},   // 3 degrees east of the meridian
        {32633, 14.8, 69.9, 0.3},    // Tromso, 70 N
        {32633, 9.2, 78.1, 0.3},     // Svalbard
        {3857, 29.0, -6.0, 0.3},     // Web Mercator
        {2154, 2.2, 48.7, 0.4},      // Lambert-93 (Paris)
        {2227, -122.5, 37.6, 0.3},   // California zone 3, US survey feet (San Francisco)
        {32601, -179.9, 51.9, 0.4},  // zone 1 at the antimeridian
    };
    for (const Case& c : cases) {
        const crs::LonLatTiles* tiles = nullptr;
        const double d = max_difference(c, 20000, &tiles);
        SCOPED_TRACE("EPSG:" + std::to_string(c.epsg) + " at " + std::to_string(c.lon) + ", " + std::to_string(c.lat));
        EXPECT_GT(tiles->tiles(), 1u);
        EXPECT_EQ(tiles->exact_tiles(), 0u) << "every tile fits";
        EXPECT_LE(tiles->max_check_error(), 1.0);
        // between the lattice points PROJ's own rounding may add a little
        EXPECT_LE(d, 2.0) << "largest difference, in tolerances: " << d;
    }
    // Web Mercator near 85 N: y grows as the secant, the tiles do not fit and keep PROJ
    const crs::LonLatTiles* tiles = nullptr;
    EXPECT_EQ(max_difference({3857, 12.0, 83.5, 0.3}, 20000, &tiles), 0.0);
    EXPECT_EQ(tiles->tiles(), tiles->exact_tiles());
}

TEST(LonLatTiles, ResultOfAPointDoesNotDependOnTheOthers)
{
    const crs::Crs from = crs::Crs::epsg(4326), to = crs::Crs::epsg(32735);
    std::vector<double> x{29.2, 29.31, 28.9, 29.2}, y{-5.93, -6.01, -5.5, -5.93};
    crs::LazyTransformer t(from, to);
    std::vector<double> ax = x, ay = y;
    crs::LonLatTiles all(from, to, ax.data(), ay.data(), ax.size(), sizeof(double), 1);
    all.transform(t, ax.data(), ay.data(), ax.size(), sizeof(double));
    double bx = x[0], by = y[0];
    crs::LonLatTiles one(from, to, &bx, &by, 1, sizeof(double), 1);
    one.transform(t, &bx, &by, 1, sizeof(double));
    EXPECT_EQ(one.tiles(), 1u);
    EXPECT_EQ(all.tiles(), 7u * 10u); // every tile of the points' box
    EXPECT_EQ(ax[0], bx);
    EXPECT_EQ(ay[0], by);
    EXPECT_EQ(ax[3], bx);
    // a point far away makes the box too large: only the tiles with points are fitted
    std::vector<double> fx = x, fy = y;
    fx.push_back(-60.0);
    fy.push_back(-30.0);
    crs::LonLatTiles far(from, to, fx.data(), fy.data(), fx.size(), sizeof(double), 1);
    far.transform(t, fx.data(), fy.data(), fx.size(), sizeof(double));
    EXPECT_EQ(far.tiles(), 4u);
    EXPECT_EQ(fx[0], bx);
    EXPECT_EQ(fy[0], by);
    EXPECT_EQ(fx[1], ax[1]);
    EXPECT_EQ(fy[2], ay[2]);
}

TEST(LonLatTiles, IdenticalForAnyThreadCount)
{
    parallel::set_chunk_cap(2); // 2 tiles a chunk: the fits really run on several threads
    std::vector<double> r[3];
    for (unsigned threads : {1u, 3u}) {
        const crs::Crs from = crs::Crs::epsg(4326), to = crs::Crs::epsg(32616);
        std::vector<double> x, y;
        for (int i = 0; i < 400; ++i) {
            x.push_back(-90.5 + 0.0017 * i);
            y.push_back(34.8 + 0.0013 * ((i * 37) % 400));
        }
        crs::LonLatTiles tiles(from, to, x.data(), y.data(), x.size(), sizeof(double), threads);
        crs::LazyTransformer t(from, to);
        tiles.transform(t, x.data(), y.data(), x.size(), sizeof(double));
        x.insert(x.end(), y.begin(), y.end());
        r[threads == 1 ? 0 : 1] = x;
    }
    parallel::set_chunk_cap(0);
    EXPECT_EQ(r[0], r[1]);
}

TEST(LonLatTiles, BadPointsAndFailingTilesGoThroughProj)
{
    const crs::Crs from = crs::Crs::epsg(4326), to = crs::Crs::epsg(32735);
    // NaN and out-of-range lon/lat are no tile; they come back as PROJ makes them (+inf)
    std::vector<double> x{29.2, NAN, 500, 29.21}, y{-5.93, -5.93, -5.93, -5.92};
    crs::LonLatTiles tiles(from, to, x.data(), y.data(), x.size(), sizeof(double), 1);
    EXPECT_EQ(tiles.tiles(), 1u);
    crs::LazyTransformer t(from, to);
    std::vector<double> ex = x, ey = y;
    t.get().transform(ex.data(), ey.data(), ex.size());
    tiles.transform(t, x.data(), y.data(), x.size(), sizeof(double));
    EXPECT_TRUE(std::isfinite(x[0]));
    EXPECT_FALSE(std::isfinite(x[1]));
    EXPECT_EQ(x[2], ex[2]); // PROJ wraps the longitude: what it makes of it
    EXPECT_EQ(y[2], ey[2]);
    // Web Mercator fails beyond 85.06 N: a tile reaching the pole keeps PROJ and says so
    std::vector<double> px{10.01, 10.02}, py{89.96, 89.99};
    crs::LonLatTiles polar(from, crs::Crs::epsg(3857), px.data(), py.data(), px.size(), sizeof(double), 1);
    EXPECT_EQ(polar.tiles(), 1u);
    EXPECT_EQ(polar.exact_tiles(), 1u);
    ex = px;
    ey = py;
    crs::LazyTransformer tm(from, crs::Crs::epsg(3857));
    tm.get().transform(ex.data(), ey.data(), ex.size());
    polar.transform(tm, px.data(), py.data(), px.size(), sizeof(double));
    EXPECT_EQ(px, ex);
    EXPECT_EQ(py, ey);
}
