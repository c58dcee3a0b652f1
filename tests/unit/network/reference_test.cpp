// SPDX-License-Identifier: MIT
// Network distances on real data (spatstat's Chicago street crimes, 503 segments, 5 posts)
// against the shared reference results (spatstat.linnet crossdist.lpp and an independent
// Dijkstra): nearest post and its network distance per crime, within 1e-5 m.
#include "hotmap/coverage/network.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/network/paths.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotmap;

namespace {

struct Chicago {
    network::Graph graph;
    std::vector<Point> crimes, posts;
    std::vector<int> post_ids;
};

Chicago load(const std::string& dir)
{
    Chicago c;
    const io::StreetLayer s = io::read_street_lines(dir + "/streets_32616.geojson", "", crs::Crs());
    network::StreetLines lines;
    lines.lines = s.parts;
    for (std::size_t f : s.feature) lines.feature.push_back(static_cast<std::uint32_t>(f));
    c.graph = network::build_graph(lines);
    const test::Table cr = test::read_csv(dir + "/crimes.csv");
    for (std::size_t i = 0; i < cr.rows.size(); ++i) c.crimes.push_back({std::stod(cr.at(i, "x")), std::stod(cr.at(i, "y"))});
    const test::Table po = test::read_csv(dir + "/posts.csv");
    for (std::size_t i = 0; i < po.rows.size(); ++i) {
        c.posts.push_back({std::stod(po.at(i, "x")), std::stod(po.at(i, "y"))});
        c.post_ids.push_back(std::stoi(po.at(i, "post_id")));
    }
    return c;
}

} // namespace

TEST(NetworkReference, ChicagoGraphShape)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    const Chicago c = load(dir);
    EXPECT_EQ(c.graph.nodes.size(), 338u);
    EXPECT_EQ(c.graph.edges.size(), 503u);
    EXPECT_NEAR(c.graph.total_length_m / 1000, 9.49, 0.005);
    EXPECT_EQ(c.graph.n_components(), 1u);
    EXPECT_EQ(c.graph.merged_vertices, 0u);
}

TEST(NetworkReference, ChicagoNearestPostMatchesSpatstat)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    HOTMAP_REQUIRE_SHARED(ref, "reference/chicago_street_crimes/nearest_post.csv");
    const Chicago c = load(dir);
    const test::Table want = test::read_csv(ref);
    ASSERT_EQ(want.rows.size(), c.crimes.size());
    for (std::size_t cap : {std::size_t{0}, std::size_t{7}}) {
        const test::ChunkCap chunks(cap); // 0: one chunk; 7: many chunks on several threads
        for (unsigned threads : {1u, 3u}) {
            const network::EdgeIndex index(c.graph);
            const std::vector<network::NetPoint> crimes = network::snap_points(index, c.crimes, threads);
            std::vector<coverage::NetFacility> fac;
            for (const Point& p : c.posts) fac.push_back({index.snap(p.x, p.y), 100.0, 0, {}});
            for (const auto& f : fac) EXPECT_LT(f.at.snap_m, 1e-6);
            const coverage::NetworkReach reach = coverage::network_reach(c.graph, fac, threads);
            const coverage::IncidentCoverage cov = coverage::cover_incidents_network(c.graph, fac, reach, crimes, {}, threads);
            std::size_t within_euclid = 0;
            for (std::size_t i = 0; i < crimes.size(); ++i) {
                EXPECT_LT(crimes[i].snap_m, 1e-4) << "crime " << i + 1;
                ASSERT_GE(cov.nearest[i], 0);
                EXPECT_EQ(c.post_ids[static_cast<std::size_t>(cov.nearest[i])], std::stoi(want.at(i, "nearest_post"))) << "crime " << i + 1;
                EXPECT_NEAR(cov.nearest_m[i], std::stod(want.at(i, "network_m")), 1e-5) << "crime " << i + 1;
                within_euclid += std::stod(want.at(i, "euclid_m")) <= 100.0;
                // covered (radius 100 m for every post) <=> the nearest post is within 100 m
                EXPECT_EQ(cov.covered[i], cov.nearest_m[i] <= 100.0 ? 1 : 0) << "crime " << i + 1;
                // n_within against brute-force pairwise distances
                std::uint32_t n = 0;
                for (const auto& f : fac) n += network::network_distance(c.graph, f.at, crimes[i]) <= 100.0;
                EXPECT_EQ(cov.n_within[i], n) << "crime " << i + 1;
            }
            EXPECT_EQ(cov.n_covered, 73u);
            EXPECT_EQ(within_euclid, 91u);
        }
    }
}

TEST(NetworkReference, ChicagoCoveredStreetsAddUp)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    const Chicago c = load(dir);
    const network::EdgeIndex index(c.graph);
    std::vector<coverage::NetFacility> fac;
    for (const Point& p : c.posts) fac.push_back({index.snap(p.x, p.y), 100.0, 0, {}});
    const coverage::NetworkReach reach = coverage::network_reach(c.graph, fac, 2);
    const coverage::StreetCoverage s = coverage::street_coverage(c.graph, fac, reach);
    double cov = 0, unc = 0;
    for (const auto& p : s.covered) cov += p.to_m - p.from_m;
    for (const auto& p : s.uncovered) unc += p.to_m - p.from_m;
    EXPECT_NEAR(cov, s.covered_m, 1e-6);
    EXPECT_NEAR(cov + unc, c.graph.total_length_m, 1e-6);
    // every covered stretch's ends are within 100 m of a post, and the point just beyond an
    // end that is not an edge end is farther
    for (const auto& p : s.covered) {
        const network::NetPoint a{p.edge, p.from_m, 0}, b{p.edge, p.to_m, 0};
        double da = INFINITY, db = INFINITY;
        for (const auto& f : fac) {
            da = std::min(da, network::network_distance(c.graph, f.at, a));
            db = std::min(db, network::network_distance(c.graph, f.at, b));
        }
        EXPECT_LE(da, 100.0 + 1e-9);
        EXPECT_LE(db, 100.0 + 1e-9);
    }
    // five posts of 100 m reach at most 5 * (a star of 100 m arms at each post); at least 100 m each
    EXPECT_GT(s.covered_m, 500.0);
    EXPECT_LT(s.covered_m, c.graph.total_length_m);
}
