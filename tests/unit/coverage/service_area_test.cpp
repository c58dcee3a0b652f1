// SPDX-License-Identifier: MIT
// Service areas, covered area and gaps: hand-computed areas, area sums, gap parts and ranks.
#include "hotmap/coverage/summary.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace hotmap;
using namespace hotmap::coverage;

namespace {
geom::NamedPolygons two_squares()
{
    std::vector<geom::Geometry> g;
    g.push_back(geom::Geometry::rectangle({0, 0, 1000, 1000}));
    g.push_back(geom::Geometry::rectangle({1000, 0, 2000, 1000}));
    return geom::NamedPolygons({"West", "East"}, std::move(g));
}
std::vector<Facility> strip_and_post()
{
    std::vector<Facility> f(2);
    f[0].parts = {{{500, -500}, {500, 1500}}}; // covers x in [400, 600] across West
    f[0].radius_m = 100;
    f[0].type = "patrol";
    f[1].parts = {{{1500, 500}}};
    f[1].radius_m = 100;
    f[1].type = "post";
    return f;
}
Incident at(double x, double y)
{
    Incident i;
    i.x = x;
    i.y = y;
    return i;
}
} // namespace

TEST(ServiceArea, CoveredAreaAndGapsByHand)
{
    const auto d = two_squares();
    const auto f = strip_and_post();
    AreaParams p;
    p.threads = 2;
    p.covered_geometry = true;
    const AreaCoverage a = area_coverage(d, f, p);
    const double disc = 32 * 100.0 * 100.0 * std::sin(2 * M_PI / 64); // 64-gon inscribed in r = 100
    EXPECT_NEAR(a.study_m2, 2e6, 1e-6);
    EXPECT_NEAR(a.district_covered_m2[0], 0.2e6, 0.2e6 * 1e-9);
    EXPECT_NEAR(a.district_covered_m2[1], disc, disc * 1e-9);
    EXPECT_NEAR(a.covered_m2, 0.2e6 + disc, 1e-3);
    EXPECT_NEAR(a.covered.area(), 0.2e6 + disc, 1e-3);
    ASSERT_EQ(a.gaps.size(), 3u); // West split in two by the strip; East one part with a hole
    double gap_sum = 0;
    int west_parts = 0;
    for (const GapPart& g : a.gaps) {
        gap_sum += g.area_m2;
        if (g.district == 0) {
            ++west_parts;
            EXPECT_NEAR(g.area_m2, 0.4e6, 1e-6);
        } else {
            EXPECT_NEAR(g.area_m2, 1e6 - disc, 1e-6);
        }
    }
    EXPECT_EQ(west_parts, 2);
    EXPECT_NEAR((gap_sum + a.covered_m2) / a.study_m2, 1.0, 1e-6);
}

TEST(ServiceArea, GapRanksCountOnlyUncoveredIncidents)
{
    const auto d = two_squares();
    const auto f = strip_and_post();
    const FacilityIndex ix(f, {"patrol", "post"});
    const std::vector<Incident> inc{at(100, 100), at(200, 900), at(300, 500), at(900, 500), at(500, 500), at(1100, 100),
                                    at(1500, 500),
                                    at(1500 + 99.95 * std::cos(M_PI / 64), 500 + 99.95 * std::sin(M_PI / 64)), at(5000, 5000)};
    const IncidentCoverage cov = cover_incidents(ix, inc, 1);
    EXPECT_EQ(cov.n_covered, 3u); // (500,500), (1500,500) and the one 99.95 m from the post
    const AreaCoverage a = area_coverage(d, f, {});
    // that one lies between the inscribed 64-gon and the circle: inside a gap polygon, yet covered
    bool in_gap_polygon = false;
    for (const GapPart& g : a.gaps) in_gap_polygon |= g.geometry.intersects(geom::Geometry::point(inc[7].x, inc[7].y));
    EXPECT_TRUE(in_gap_polygon);
    const auto rows = rank_gaps(a, d, inc, cov, 0, 1);
    ASSERT_EQ(rows.size(), 3u);
    std::uint64_t total = 0;
    for (const GapRow& r : rows) {
        total += r.incidents;
        if (r.incidents == 3) {
            EXPECT_EQ(r.rank, 1);
            EXPECT_EQ(r.district, "West");
            EXPECT_NEAR(r.per_km2, 7.5, 1e-9);
        } else if (r.district == "West") {
            EXPECT_EQ(r.incidents, 1u);
            EXPECT_EQ(r.rank, 2); // 1 incident in 0.4 km2 beats 1 in 0.97 km2
        } else {
            EXPECT_EQ(r.incidents, 1u);
            EXPECT_EQ(r.rank, 3);
        }
    }
    EXPECT_EQ(total, 5u); // every uncovered incident inside the study area, once
    const auto big = rank_gaps(a, d, inc, cov, 500000, 1);
    ASSERT_EQ(big.size(), 1u);
    EXPECT_EQ(big[0].district, "East");
    EXPECT_EQ(big[0].gap_id, 1);
    EXPECT_EQ(big[0].rank, 1);

    const auto rowsd = summarise_districts(d, inc, cov, &a, 2, 2);
    ASSERT_EQ(rowsd.size(), 2u);
    EXPECT_EQ(rowsd[0].incidents, 5u);
    EXPECT_EQ(rowsd[0].covered_inc, 1u);
    EXPECT_NEAR(rowsd[0].covered_pct, 20.0, 1e-9);
    EXPECT_NEAR(rowsd[0].covered_inc_pct, 20.0, 1e-9);
    EXPECT_EQ(rowsd[0].covered_inc_by_type, (std::vector<std::uint64_t>{1, 0}));
    EXPECT_EQ(rowsd[1].incidents, 3u);
    EXPECT_EQ(rowsd[1].covered_inc, 2u);
    EXPECT_EQ(rowsd[1].covered_inc_by_type, (std::vector<std::uint64_t>{0, 2}));
    EXPECT_NEAR(rowsd[1].area_km2, 1.0, 1e-12);
}

TEST(ServiceArea, TiledUnionMatchesOneUnionAndIgnoresThreads)
{
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> X(0, 15000), Y(0, 10000), R(50, 150);
    std::vector<Facility> f(2000);
    std::vector<geom::Geometry> buffers;
    for (Facility& x : f) {
        x.parts = {{{X(rng), Y(rng)}}};
        x.radius_m = R(rng);
        buffers.push_back(geom::Geometry::point(x.parts[0][0].x, x.parts[0][0].y).buffer(x.radius_m, 16));
    }
    ServiceAreaParams p;
    p.threads = 1;
    const geom::Geometry one = service_area(f, p);
    for (unsigned t : {2u, 7u}) { // 16 tiles, one per chunk
        p.threads = t;
        EXPECT_EQ(service_area(f, p).to_wkb(), one.to_wkb()) << t;
    }
    const double plain = geom::union_all(std::move(buffers)).area();
    EXPECT_NEAR(one.area() / plain, 1.0, 1e-9);
}

TEST(ServiceArea, DistanceGridNodataOutsideDistricts)
{
    const auto d = two_squares();
    const auto f = strip_and_post();
    const FacilityIndex ix(f, {"patrol", "post"});
    const grid::GridSpec g = grid::GridSpec::snapped({-200, 0, 2000, 1000}, 100);
    const auto v1 = distance_grid(ix, g, d, -1.0f, 1);
    const test::ChunkCap cap(16); // 220 cells in 14 chunks
    const auto v2 = distance_grid(ix, g, d, -1.0f, 7);
    EXPECT_EQ(v1, v2);
    const auto at_cell = [&](double x, double y) { return v1[*g.locate(x, y)]; };
    EXPECT_FLOAT_EQ(at_cell(-150, 450), -1.0f);  // outside the districts
    EXPECT_FLOAT_EQ(at_cell(450, 450), 50.0f);    // centre (450, 450): 50 m from the patrol line
    EXPECT_FLOAT_EQ(at_cell(1550, 550), static_cast<float>(std::sqrt(50.0 * 50 * 2)));
    EXPECT_FLOAT_EQ(at_cell(50, 950), 450.0f);
}
