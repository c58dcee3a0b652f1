// SPDX-License-Identifier: MIT
// Nearest facility and reach: boundary cases, lines, several radii, brute force, threads.
#include "hotmap/coverage/summary.hpp"
#include "hotmap/geom/geometry.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace hotmap;
using namespace hotmap::coverage;

namespace {
Facility point_fac(double x, double y, double r, std::string type = "post")
{
    Facility f;
    f.parts = {{{x, y}}};
    f.radius_m = r;
    f.type = std::move(type);
    return f;
}
Facility line_fac(std::vector<Point> pts, double r, std::string type = "patrol")
{
    Facility f;
    f.parts = {std::move(pts)};
    f.radius_m = r;
    f.type = std::move(type);
    return f;
}
} // namespace

TEST(SegmentDistance, PointsAndSegments)
{
    EXPECT_DOUBLE_EQ(segment_distance(3, 4, 0, 0, 0, 0), 5);
    EXPECT_DOUBLE_EQ(segment_distance(5, 3, 0, 0, 10, 0), 3);
    EXPECT_DOUBLE_EQ(segment_distance(13, 4, 0, 0, 10, 0), 5); // beyond the end: to the end point
    EXPECT_DOUBLE_EQ(segment_distance(-3, -4, 0, 0, 10, 0), 5);
}

TEST(FacilityIndex, DistanceEqualToRadiusIsCovered)
{
    const std::vector<Facility> f{point_fac(0, 0, 5)};
    const FacilityIndex ix(f, {"post"});
    EXPECT_EQ(ix.reach(3, 4).n_within, 1u);    // exactly 5 m
    EXPECT_EQ(ix.reach(-4, 3).n_within, 1u);
    EXPECT_EQ(ix.reach(0, -5).n_within, 1u);
    EXPECT_EQ(ix.reach(3, 4.000001).n_within, 0u);
    EXPECT_EQ(ix.reach(5.000001, 0).n_within, 0u);
    const Nearest n = ix.nearest(3, 4);
    EXPECT_EQ(n.facility, 0);
    EXPECT_DOUBLE_EQ(n.distance_m, 5);
}

TEST(FacilityIndex, LinesCoverTheirBufferIncludingEnds)
{
    const std::vector<Facility> f{line_fac({{0, 0}, {10, 0}, {10, 10}}, 3)};
    const FacilityIndex ix(f, {"patrol"});
    EXPECT_EQ(ix.reach(5, 3).n_within, 1u);     // perpendicular, exactly 3
    EXPECT_EQ(ix.reach(5, -3).n_within, 1u);
    EXPECT_EQ(ix.reach(5, 3.0001).n_within, 0u);
    EXPECT_EQ(ix.reach(-3, 0).n_within, 1u);    // round cap at the start
    EXPECT_EQ(ix.reach(-3.0001, 0).n_within, 0u);
    EXPECT_EQ(ix.reach(13, 5).n_within, 1u);    // second segment
    EXPECT_EQ(ix.reach(12, 12).n_within, 1u);   // sqrt(8) from the end point
    EXPECT_EQ(ix.reach(13, 13).n_within, 0u);   // sqrt(18) > 3
    EXPECT_DOUBLE_EQ(ix.nearest(5, 7).distance_m, 5);  // 7 to the first segment, 5 to the second
    EXPECT_DOUBLE_EQ(ix.nearest(13, 13).distance_m, std::sqrt(18.0));
}

TEST(FacilityIndex, EachFacilityUsesItsOwnRadiusAndTypeMask)
{
    // a lamp (40 m) and a station (800 m) 100 m apart; a patrol line far away
    const std::vector<Facility> f{point_fac(0, 0, 40, "lamp"), point_fac(100, 0, 800, "station"),
                                  line_fac({{0, 2000}, {1000, 2000}}, 100, "patrol")};
    const FacilityIndex ix(f, {"lamp", "patrol", "station"});
    Reach r = ix.reach(-30, 0); // 30 from the lamp, 130 from the station
    EXPECT_EQ(r.n_within, 2u);
    EXPECT_EQ(r.type_mask, 0b101u);
    r = ix.reach(-50, 0); // beyond the lamp's reach, inside the station's
    EXPECT_EQ(r.n_within, 1u);
    EXPECT_EQ(r.type_mask, 0b100u);
    EXPECT_EQ(ix.nearest(-50, 0).facility, 0); // nearest is the lamp even though it does not reach
    r = ix.reach(500, 1950);
    EXPECT_EQ(r.n_within, 1u);
    EXPECT_EQ(r.type_mask, 0b010u);
    EXPECT_EQ(ix.reach(5000, 5000).n_within, 0u);
}

TEST(FacilityIndex, TiesGoToTheLowestIndex)
{
    const std::vector<Facility> f{point_fac(10, 0, 1), point_fac(-10, 0, 1), point_fac(0, 10, 1)};
    const FacilityIndex ix(f, {"post"});
    EXPECT_EQ(ix.nearest(0, 0).facility, 0);
    EXPECT_DOUBLE_EQ(ix.nearest(0, 0).distance_m, 10);
}

TEST(FacilityIndex, EmptyIndex)
{
    const FacilityIndex ix({}, {});
    EXPECT_EQ(ix.nearest(0, 0).facility, -1);
    EXPECT_EQ(ix.reach(0, 0).n_within, 0u);
}

TEST(FacilityIndex, MatchesBruteForceWithGeosDistances)
{
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> X(0, 15000), Y(0, 10000), R(10, 300), step(-800, 800);
    std::vector<Facility> f;
    std::vector<geom::Geometry> g;
    for (int i = 0; i < 800; ++i) {
        if (i % 5 == 0) {
            std::vector<Point> pts{{X(rng), Y(rng)}};
            for (int k = 0; k < 4; ++k) pts.push_back({pts.back().x + step(rng), pts.back().y + step(rng)});
            g.push_back(geom::Geometry::linestring(pts));
            f.push_back(line_fac(pts, R(rng), "patrol"));
        } else {
            f.push_back(point_fac(X(rng), Y(rng), R(rng), i % 2 ? "lamp" : "post"));
            g.push_back(geom::Geometry::point(f.back().parts[0][0].x, f.back().parts[0][0].y));
        }
    }
    const std::vector<std::string> types{"lamp", "patrol", "post"};
    const FacilityIndex ix(f, types);
    std::vector<Incident> inc(2000);
    for (auto& p : inc) {
        p.x = X(rng) * 1.1 - 700;
        p.y = Y(rng) * 1.1 - 500;
    }
    const IncidentCoverage c1 = cover_incidents(ix, inc, 1);
    const test::ChunkCap cap(97); // many chunks, 7 threads
    const IncidentCoverage c3 = cover_incidents(ix, inc, 7);
    EXPECT_EQ(c1.nearest, c3.nearest);
    EXPECT_EQ(c1.nearest_m, c3.nearest_m);
    EXPECT_EQ(c1.n_within, c3.n_within);
    EXPECT_EQ(c1.type_mask, c3.type_mask);
    std::uint64_t covered = 0;
    for (std::size_t i = 0; i < inc.size(); ++i) {
        const geom::Geometry p = geom::Geometry::point(inc[i].x, inc[i].y);
        double best = INFINITY;
        std::uint32_t within = 0;
        for (std::size_t k = 0; k < f.size(); ++k) {
            const double d = p.distance(g[k]);
            best = std::min(best, d);
            if (d <= f[k].radius_m) ++within;
        }
        covered += within > 0;
        ASSERT_NEAR(c1.nearest_m[i], best, 1e-9) << i;
        ASSERT_NEAR(p.distance(g[static_cast<std::size_t>(c1.nearest[i])]), best, 1e-9) << i;
        ASSERT_EQ(c1.n_within[i], within) << i;
        ASSERT_EQ(c1.covered[i], within > 0 ? 1 : 0) << i;
    }
    EXPECT_EQ(c1.n_covered, covered);
    EXPECT_GT(covered, 200u); // the test exercises both outcomes
    EXPECT_LT(covered, 1800u);
}
