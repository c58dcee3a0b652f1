// SPDX-License-Identifier: MIT
// Coverage on real data (Chicago abandoned vehicles 2016, 148 supermarkets, 77 community
// areas) against brute-force GEOS distances; area sums of covered area and gaps.
#include "hotmap/coverage/summary.hpp"
#include "hotmap/districts/summary.hpp"
#include "hotmap/io/vector.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotmap;
using namespace hotmap::coverage;

namespace {
struct Chicago {
    std::vector<Incident> incidents;
    std::vector<Point> shops;
    std::vector<std::string> chains;
};
Chicago load(const std::string& dir)
{
    Chicago c;
    const test::Table inc = test::read_csv(dir + "/incidents.csv");
    for (std::size_t i = 0; i < inc.rows.size(); ++i) {
        Incident p;
        p.x = std::stod(inc.at(i, "x"));
        p.y = std::stod(inc.at(i, "y"));
        p.row = static_cast<std::uint32_t>(i + 2);
        c.incidents.push_back(p);
    }
    const test::Table shops = test::read_csv(dir + "/supermarkets.csv");
    for (std::size_t i = 0; i < shops.rows.size(); ++i) {
        c.shops.push_back({std::stod(shops.at(i, "x")), std::stod(shops.at(i, "y"))});
        c.chains.push_back(shops.at(i, "chain"));
    }
    return c;
}
} // namespace

TEST(CoverageReference, ChicagoNearestAndCoveredMatchBruteForce)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_abandoned_vehicles_2016");
    const Chicago c = load(dir);
    ASSERT_EQ(c.incidents.size(), 2635u);
    ASSERT_EQ(c.shops.size(), 148u);
    // Two radius rules: one for every shop, and per type (Jewel stores 1500 m, others 700 m).
    for (int variant = 0; variant < 2; ++variant) {
        std::vector<Facility> f;
        for (std::size_t k = 0; k < c.shops.size(); ++k) {
            Facility x;
            x.parts = {{c.shops[k]}};
            const bool jewel = c.chains[k].find("JEWEL") != std::string::npos;
            x.type = jewel ? "jewel" : "other";
            x.radius_m = variant == 0 ? 1000.0 : (jewel ? 1500.0 : 700.0);
            f.push_back(x);
        }
        const FacilityIndex ix(f, facility_types(f));
        const IncidentCoverage cov = cover_incidents(ix, c.incidents, 2);
        std::vector<geom::Geometry> shops;
        for (const Point& p : c.shops) shops.push_back(geom::Geometry::point(p.x, p.y));
        std::uint64_t covered = 0, jewel_types = 0;
        for (std::size_t i = 0; i < c.incidents.size(); ++i) {
            const geom::Geometry p = geom::Geometry::point(c.incidents[i].x, c.incidents[i].y);
            double best = INFINITY;
            std::size_t best_k = 0;
            std::uint32_t within = 0;
            bool jewel = false;
            for (std::size_t k = 0; k < shops.size(); ++k) {
                const double d = p.distance(shops[k]);
                if (d < best) best = d, best_k = k;
                if (d <= f[k].radius_m) ++within, jewel |= f[k].type == "jewel";
            }
            covered += within > 0;
            jewel_types += jewel;
            ASSERT_NEAR(cov.nearest_m[i], best, 1e-9) << "incident " << i + 1;
            ASSERT_EQ(static_cast<std::size_t>(cov.nearest[i]), best_k) << "incident " << i + 1;
            ASSERT_EQ(cov.n_within[i], within) << "incident " << i + 1;
        }
        EXPECT_EQ(cov.n_covered, covered);
        std::uint64_t jewel_mask = 0;
        for (std::uint64_t m : cov.type_mask) jewel_mask += (m & 1u) ? 1 : 0; // "jewel" sorts first
        EXPECT_EQ(jewel_mask, jewel_types);
        if (variant == 0) {
            EXPECT_EQ(covered, 1478u); // independently: numpy over the x/y columns
        }
    }
}

TEST(CoverageReference, ChicagoCoveredPlusGapsIsTheStudyArea)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_abandoned_vehicles_2016");
    const Chicago c = load(dir);
    io::PolygonSource src;
    src.path = dir + "/community_areas_32616.geojson";
    src.name_field = "community";
    const io::PolygonLayer pl = io::read_polygons(src, crs::Crs());
    std::vector<std::string> warnings;
    const auto dset = districts::from_wkb(pl.wkb, pl.names, pl.population, warnings);
    const geom::NamedPolygons& d = dset.polygons;
    ASSERT_EQ(d.size(), 77u);
    // the facilities as read from the CSV's lon/lat (EPSG:4326 -> the districts' UTM 16N)
    const io::GenericLayer g = io::read_geometries(dir + "/supermarkets.csv", "", {"chain"}, pl.crs);
    ASSERT_EQ(g.wkb.size(), 148u);
    FacilityLayerInput in;
    in.name = "supermarkets";
    in.wkb = g.wkb;
    in.radius_m = 1000;
    const auto f = build_facilities({in}, {});
    ASSERT_EQ(f.size(), 148u);
    for (std::size_t k = 0; k < f.size(); ++k) {
        EXPECT_NEAR(f[k].parts[0][0].x, c.shops[k].x, 0.01);
        EXPECT_NEAR(f[k].parts[0][0].y, c.shops[k].y, 0.01);
    }
    AreaParams ap;
    ap.threads = 2;
    ap.covered_geometry = true;
    const AreaCoverage a = area_coverage(d, f, ap);
    // the per-district unions agree with one global union of every buffer, clipped
    const geom::Geometry global = a.study.intersection(service_area(f, {}));
    EXPECT_NEAR(global.area() / a.covered_m2, 1.0, 1e-9);
    double gaps = 0, districts_m2 = 0, covered_m2 = 0;
    for (const GapPart& p : a.gaps) gaps += p.area_m2;
    for (std::size_t k = 0; k < d.size(); ++k) districts_m2 += a.district_m2[k], covered_m2 += a.district_covered_m2[k];
    EXPECT_NEAR((a.covered_m2 + gaps) / a.study_m2, 1.0, 1e-6);
    EXPECT_NEAR(districts_m2 / a.study_m2, 1.0, 1e-6);   // the community areas tile the city
    EXPECT_NEAR(covered_m2 / a.covered_m2, 1.0, 1e-6);
    EXPECT_GT(a.gaps.size(), 77u);                        // some areas are split into several gaps
    // the covered area is at most the sum of the discs, and most of it
    EXPECT_LT(a.covered_m2, 148 * M_PI * 1e6);

    const FacilityIndex ix(f, facility_types(f));
    const IncidentCoverage cov = cover_incidents(ix, c.incidents, 2);
    const auto rows = summarise_districts(d, c.incidents, cov, &a, 0, 2);
    std::uint64_t n = 0, nc = 0;
    for (const auto& r : rows) n += r.incidents, nc += r.covered_inc;
    EXPECT_EQ(n, 2633u); // 2 incidents lie outside every community area
    const auto gap_rows = rank_gaps(a, d, c.incidents, cov, 0, 2);
    std::uint64_t in_gaps = 0;
    for (const auto& r : gap_rows) in_gaps += r.incidents;
    // every uncovered incident inside the city lies in exactly one gap
    std::uint64_t uncovered_inside = 0;
    const geom::Containment as = d.containing(c.incidents, 2);
    for (std::size_t i = 0; i < c.incidents.size(); ++i)
        if (!cov.covered[i] && as.start[i + 1] > as.start[i]) ++uncovered_inside;
    EXPECT_EQ(in_gaps, uncovered_inside);
    EXPECT_EQ(n - nc, uncovered_inside);
}
