// SPDX-License-Identifier: MIT
// Donut geomasking: district constraint, distances, distribution, reproducibility, fallback, k.
#include "hotmap/crs/crs.hpp"
#include "hotmap/districts/summary.hpp"
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/privacy/geomask.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

using namespace hotmap;
using geom::Geometry;
using privacy::DonutSpec;

namespace {

/// The two 1 km squares of tests/data/two_squares.geojson (UTM 35S), West and East.
geom::NamedPolygons two_squares()
{
    std::vector<Geometry> g;
    g.push_back(Geometry::rectangle({500000, 9340000, 501000, 9341000}));
    g.push_back(Geometry::rectangle({501000, 9340000, 502000, 9341000}));
    return geom::NamedPolygons({"West", "East"}, std::move(g));
}

std::vector<Point> scatter(std::size_t n, const Extent& e, std::uint64_t seed)
{
    std::vector<Point> pts;
    std::uint64_t s = seed;
    auto u = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) * 0x1.0p-53;
    };
    for (std::size_t i = 0; i < n; ++i) pts.push_back({e.xmin + u() * e.width(), e.ymin + u() * e.height()});
    return pts;
}

bool same_bytes(const privacy::MaskResult& a, const privacy::MaskResult& b)
{
    return a.points.size() == b.points.size() &&
           std::memcmp(a.points.data(), b.points.data(), a.points.size() * sizeof(Point)) == 0 &&
           std::memcmp(a.distance_m.data(), b.distance_m.data(), a.distance_m.size() * sizeof(double)) == 0 &&
           a.fallback == b.fallback && a.outside_district == b.outside_district;
}

} // namespace

TEST(GeomaskParse, GoodAndBad)
{
    const DonutSpec s = privacy::parse_donut("donut:50-250");
    EXPECT_EQ(s.min_m, 50);
    EXPECT_EQ(s.max_m, 250);
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.max_tries, 100u);
    const DonutSpec z = privacy::parse_donut("donut:0-12.5");
    EXPECT_EQ(z.min_m, 0);
    EXPECT_EQ(z.max_m, 12.5);
    EXPECT_EQ(privacy::parse_donut("donut:0-100000").max_m, 1e5);
    for (const char* bad : {"", "donut:", "donut:50", "donut:50-", "donut:-5-250", "donut:250-50", "donut:50-50",
                            "donut:0-100001", "donut:50-250m", "donut:a-b", "ring:50-250", "DONUT:50-250",
                            "donut:50-250-300", "donut:nan-250", "donut:0-inf", " donut:50-250"}) {
        try {
            privacy::parse_donut(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const ParameterError& e) {
            EXPECT_NE(std::string(e.what()).find("--geomask"), std::string::npos) << e.what();
        }
    }
}

TEST(Geomask, StaysInOwnDistrictWithinDistances)
{
    const auto d = two_squares();
    auto pts = scatter(3000, d.extent(), 7);
    pts.push_back({500000.5, 9340500}); // 0.5 m from West's outer edge
    pts.push_back({500999, 9340500});   // 1 m from the shared edge, West side
    pts.push_back({501001, 9340999});   // East, near the shared edge and the top
    pts.push_back({499000, 9340000});   // in no district
    const DonutSpec spec{50, 250, 42, 100};
    const auto r = privacy::geomask(pts, d, {}, spec, 2);
    ASSERT_EQ(r.points.size(), pts.size());
    const auto before = d.first_containing(pts, 1);
    const auto after = d.first_containing(r.points, 1);
    std::size_t outside = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const double dist = std::hypot(r.points[i].x - pts[i].x, r.points[i].y - pts[i].y);
        EXPECT_GE(dist, 50 - 1e-9) << i;
        EXPECT_LE(dist, 250 + 1e-9) << i;
        EXPECT_NEAR(r.distance_m[i], dist, 1e-9);
        if (before[i] < 0) {
            ++outside;
            continue;
        }
        EXPECT_EQ(after[i], before[i]) << "point " << i;
        EXPECT_TRUE(std::isnan(r.k_anonymity[i]));
    }
    EXPECT_EQ(outside, 1u);
    EXPECT_EQ(r.outside_district, 1u);
    EXPECT_EQ(r.fallback, 0u); // 1 km squares: a draw always lands inside within 100 tries
    EXPECT_TRUE(std::isnan(r.k_min));
}

TEST(Geomask, NearEdgeStillLandsInside)
{
    const auto d = two_squares();
    // 10 m from West's left edge, 5 m from its bottom: most of the annulus is outside
    std::vector<Point> pts(500, Point{500010, 9340005});
    const auto r = privacy::geomask(pts, d, {}, {50, 250, 3, 100}, 1);
    const auto after = d.first_containing(r.points, 1);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        EXPECT_EQ(after[i], 0) << i;
        EXPECT_GE(r.distance_m[i], 50 - 1e-9);
        EXPECT_LE(r.distance_m[i], 250 + 1e-9);
        EXPECT_GT(r.points[i].x, 500000);
        EXPECT_GT(r.points[i].y, 9340000);
    }
    EXPECT_EQ(r.fallback, 0u);
}

TEST(Geomask, ReproducibleBySeedAndThreadCount)
{
    const auto d = two_squares();
    const auto pts = scatter(5000, d.extent(), 11);
    const std::vector<double> pop{1000, 2000};
    const DonutSpec spec{50, 250, 99, 100};
    const auto a = privacy::geomask(pts, d, pop, spec, 1);
    const auto b = privacy::geomask(pts, d, pop, spec, 1);
    EXPECT_TRUE(same_bytes(a, b));
    DonutSpec other = spec;
    other.seed = 100;
    const auto c = privacy::geomask(pts, d, pop, other, 1);
    EXPECT_FALSE(same_bytes(a, c));
    std::size_t differ = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) differ += (a.points[i].x != c.points[i].x) ? 1 : 0;
    EXPECT_EQ(differ, pts.size());
    const test::ChunkCap cap(97); // 52 chunks: several threads really share the work
    for (unsigned t : {1u, 2u, 7u}) {
        const auto m = privacy::geomask(pts, d, pop, spec, t);
        EXPECT_TRUE(same_bytes(a, m)) << t << " threads";
        EXPECT_EQ(std::memcmp(a.k_anonymity.data(), m.k_anonymity.data(), a.k_anonymity.size() * sizeof(double)), 0);
        EXPECT_EQ(a.k_min, m.k_min);
        EXPECT_EQ(a.k_median, m.k_median);
    }
}

TEST(Geomask, AreaUniformAnnulusDistribution)
{
    std::vector<Geometry> g;
    g.push_back(Geometry::rectangle({0, 0, 10000, 10000}));
    const geom::NamedPolygons d({"big"}, std::move(g));
    const std::size_t n = 20000;
    const Point c{5000, 5000};
    const std::vector<Point> pts(n, c);
    const double lo = 50, hi = 250;
    const auto r = privacy::geomask(pts, d, {}, {lo, hi, 2024, 100}, 2);
    double sum = 0;
    std::size_t quad[4] = {0, 0, 0, 0};
    std::size_t inner_half = 0; // r^2 below the mid of [lo^2, hi^2]: half the area
    for (std::size_t i = 0; i < n; ++i) {
        sum += r.distance_m[i];
        const double dx = r.points[i].x - c.x, dy = r.points[i].y - c.y;
        quad[(dx >= 0 ? 0 : 1) + (dy >= 0 ? 0 : 2)]++;
        if (dx * dx + dy * dy < 0.5 * (lo * lo + hi * hi)) ++inner_half;
    }
    const double mean = sum / static_cast<double>(n);
    const double analytic = 2.0 / 3.0 * (hi * hi * hi - lo * lo * lo) / (hi * hi - lo * lo);
    EXPECT_NEAR(analytic, 172.22222222222223, 1e-9);
    EXPECT_NEAR(mean, analytic, 0.01 * analytic);
    for (std::size_t q : quad) EXPECT_NEAR(static_cast<double>(q) / n, 0.25, 0.015);
    EXPECT_NEAR(static_cast<double>(inner_half) / n, 0.5, 0.015);
    EXPECT_EQ(r.fallback, 0u);
}

TEST(Geomask, ThinDistrictFallsBack)
{
    // 40 m x 2 km strip, donut 50-250: a draw lands inside with probability ~ 40*2*200/(pi*60000)
    // ~ 8 %, so with 2 tries many points need the scan, which finds the strip along its length.
    std::vector<Geometry> g;
    g.push_back(Geometry::rectangle({0, 0, 2000, 40}));
    // a 30 m x 30 m district: thinner than min everywhere, no point of it is 50 m away
    g.push_back(Geometry::rectangle({5000, 5000, 5030, 5030}));
    const geom::NamedPolygons d({"strip", "tiny"}, std::move(g));
    std::vector<Point> pts;
    for (int i = 0; i < 200; ++i) pts.push_back({500.0 + i, 20});
    for (int i = 0; i < 10; ++i) pts.push_back({5010.0 + i, 5015});
    const auto r = privacy::geomask(pts, d, {}, {50, 250, 5, 2}, 1);
    const auto after = d.first_containing(r.points, 1);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        EXPECT_GE(r.distance_m[i], 50 - 1e-9) << i;
        EXPECT_LE(r.distance_m[i], 250 + 1e-9) << i;
        if (i < 200) EXPECT_EQ(after[i], 0) << i;
        else EXPECT_EQ(after[i], -1) << i; // left its district rather than stay too close
    }
    EXPECT_GT(r.fallback, 10u + 50u);
    EXPECT_EQ(r.left_district, 10u);
    EXPECT_EQ(r.outside_district, 0u);
}

TEST(Geomask, KAnonymity)
{
    const auto d = two_squares();
    // West: 1000 residents on 1 km²; the 50-250 annulus around the centre is wholly inside
    std::vector<Point> pts{{500500, 9340500}, {501500, 9340500}, {500010, 9340500}, {499000, 9340000}};
    const std::vector<double> pop{1000, std::numeric_limits<double>::quiet_NaN()};
    const auto r = privacy::geomask(pts, d, pop, {50, 250, 1, 100}, 1);
    const double full = 1000 * std::numbers::pi * (250.0 * 250 - 50.0 * 50) / 1e6;
    EXPECT_NEAR(full, 188.49555921538757, 1e-9);
    EXPECT_NEAR(r.k_anonymity[0], full, 1e-9);
    EXPECT_TRUE(std::isnan(r.k_anonymity[1])); // East: population unknown
    EXPECT_TRUE(std::isnan(r.k_anonymity[3])); // no district
    // 10 m from the left edge: the part of the annulus with x > -10 (relative), a bit over half
    // (polar-grid approximation, about 1 %). Exact: half + 2 * integral of the strip 0 < x < 10.
    auto seg = [](double R, double a) { return R * R * std::acos(a / R) - a * std::sqrt(R * R - a * a); };
    const double inside_area = (std::numbers::pi * 250 * 250 - seg(250, 10)) - (std::numbers::pi * 50 * 50 - seg(50, 10));
    const double exact = 1000 * inside_area / 1e6;
    EXPECT_NEAR(r.k_anonymity[2], exact, 0.01 * exact);
    EXPECT_EQ(r.k_min, r.k_anonymity[2]);
    EXPECT_DOUBLE_EQ(r.k_median, 0.5 * (r.k_anonymity[0] + r.k_anonymity[2]));
    EXPECT_THROW(privacy::geomask(pts, d, {1.0}, {50, 250, 1, 100}, 1), ParameterError);
    EXPECT_THROW(privacy::geomask(pts, d, {}, {250, 50, 1, 100}, 1), ParameterError);
    EXPECT_THROW(privacy::geomask(pts, d, {}, {50, 250, 1, 0}, 1), ParameterError);
}

// Timing, not run by default: --gtest_also_run_disabled_tests --gtest_filter='Geomask*Kalemie*'
TEST(Geomask, DISABLED_KalemieMillionPoints)
{
    io::PolygonSource src;
    src.path = test::samples("kalemie/districts.geojson");
    src.population_field = "population";
    const io::PolygonLayer pl = io::read_polygons(src, crs::Crs::epsg(32735));
    std::vector<std::string> warnings;
    const auto dset = districts::from_wkb(pl.wkb, pl.names, pl.population, warnings);
    const geom::NamedPolygons& d = dset.polygons;
    const auto pts = scatter(1000000, d.extent(), 5);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = privacy::geomask(pts, d, dset.population, {50, 250, 1, 100}, 2);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("1M points, %zu districts, 2 threads: %.2f s; outside %zu, fallback %zu, left %zu, k_min %.2f, "
                "k_median %.2f\n",
                d.size(), s, r.outside_district, r.fallback, r.left_district, r.k_min, r.k_median);
    const auto t1 = std::chrono::steady_clock::now();
    const auto q = privacy::geomask(pts, d, {}, {50, 250, 1, 100}, 2);
    std::printf("without population (no k): %.2f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
    EXPECT_EQ(std::memcmp(q.points.data(), r.points.data(), r.points.size() * sizeof(Point)), 0);
}
