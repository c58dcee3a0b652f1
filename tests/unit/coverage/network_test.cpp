// SPDX-License-Identifier: MIT
// Coverage along the streets with patrol routes: routes joined along the streets, network
// distances to a route on hand-made graphs, against brute force, covered streets, threads.
#include "hotmap/coverage/network.hpp"
#include "hotmap/error.hpp"
#include "hotmap/network/paths.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotmap;
using namespace hotmap::coverage;
using network::Graph;
using network::NetPoint;

namespace {

Graph make(std::vector<std::vector<Point>> lines)
{
    network::StreetLines s;
    s.lines = std::move(lines);
    return network::build_graph(s);
}

std::vector<NetPoint> snap(const Graph& g, const std::vector<Point>& pts)
{
    const network::EdgeIndex ix(g);
    return network::snap_points(ix, pts, 1);
}

/// A T: edge 0 (0,0)-(100,0), edge 1 (100,0)-(200,0), edge 2 (100,0)-(100,300).
Graph tee() { return make({{{0, 0}, {100, 0}, {200, 0}}, {{100, 0}, {100, 300}}}); }

/// The route of the T tests: from (20,5) (mid-edge, 5 m off the street) to the junction and
/// 60 m up the side street.
NetFacility tee_route(const Graph& g, double radius)
{
    NetFacility f;
    f.radius_m = radius;
    f.along = route_along_streets(g, {snap(g, {{20, 5}, {100, 0}, {103, 60}})}).stretches;
    return f;
}

/// The exact network distance from p to the route's stretches, from their ends (a shortest
/// path to a stretch first meets it at an end, unless p is on it).
double brute_to_route(const Graph& g, const std::vector<EdgeStretch>& along, const NetPoint& p)
{
    double best = INFINITY;
    for (const EdgeStretch& s : along) {
        if (p.edge == s.edge && p.offset_m >= s.from_m && p.offset_m <= s.to_m) return 0;
        best = std::min({best, network::network_distance(g, {s.edge, s.from_m, 0}, p), network::network_distance(g, {s.edge, s.to_m, 0}, p)});
    }
    return best;
}

} // namespace

TEST(CoverageNetwork, RouteAlongTwoEdgesOfATee)
{
    const Graph g = tee();
    ASSERT_EQ(g.edges.size(), 3u);
    const StreetRoute r = route_along_streets(g, {snap(g, {{20, 5}, {100, 0}, {103, 60}})});
    ASSERT_EQ(r.stretches.size(), 2u);
    EXPECT_EQ(r.stretches[0].edge, 0u);
    EXPECT_DOUBLE_EQ(r.stretches[0].from_m, 20.0);
    EXPECT_DOUBLE_EQ(r.stretches[0].to_m, 100.0);
    EXPECT_EQ(r.stretches[1].edge, 2u);
    EXPECT_DOUBLE_EQ(r.stretches[1].from_m, 0.0);
    EXPECT_DOUBLE_EQ(r.stretches[1].to_m, 60.0);
    EXPECT_DOUBLE_EQ(r.walked_m, 140.0);
    EXPECT_DOUBLE_EQ(r.street_m, 140.0);
    // out and back along the same street: walked twice, one street
    const StreetRoute back = route_along_streets(g, {snap(g, {{100, 10}, {100, 50}, {100, 10}})});
    EXPECT_DOUBLE_EQ(back.walked_m, 80.0);
    EXPECT_DOUBLE_EQ(back.street_m, 40.0);
    ASSERT_EQ(back.stretches.size(), 1u);
}

TEST(CoverageNetwork, DistancesToARouteOnATee)
{
    const Graph g = tee();
    // the route (radius 100) and a point facility at (100,280) (radius 30)
    std::vector<NetFacility> fac{tee_route(g, 100)};
    NetFacility post;
    post.at = snap(g, {{100, 280}})[0];
    post.radius_m = 30;
    post.type = 1;
    fac.push_back(post);
    const NetworkReach reach = network_reach(g, fac, 1);
    EXPECT_EQ(reach.on_edge[0], std::vector<std::uint32_t>{0});
    EXPECT_TRUE(reach.on_edge[1].empty());
    EXPECT_EQ(reach.on_edge[2], (std::vector<std::uint32_t>{0, 1}));
    // on the route, at the junction, up the side street beyond the route's end, along the main
    // street's other arm, before the route's start, at the end of the main street, at the top
    const std::vector<NetPoint> pts = snap(g, {{50, 0}, {100, 0}, {100, 200}, {150, 0}, {5, 0}, {200, 0}, {100, 300}});
    const IncidentCoverage c = cover_incidents_network(g, fac, reach, pts, {}, 1);
    const double want[] = {0, 0, 80, 50, 15, 100, 20};
    const std::int32_t nearest[] = {0, 0, 1, 0, 0, 0, 1};
    const std::uint8_t covered[] = {1, 1, 0, 1, 1, 1, 1};
    const std::uint64_t mask[] = {1, 1, 0, 1, 1, 1, 2};
    for (std::size_t i = 0; i < pts.size(); ++i) {
        EXPECT_NEAR(c.nearest_m[i], want[i], 1e-9) << "place " << i;
        EXPECT_EQ(c.nearest[i], nearest[i]) << "place " << i;
        EXPECT_EQ(c.covered[i], covered[i]) << "place " << i;
        EXPECT_EQ(c.type_mask[i], mask[i]) << "place " << i;
    }
    EXPECT_EQ(c.n_covered, 6u);
    // (100,200) is 140 m from the route and 80 m from the post: neither reaches it
    EXPECT_EQ(c.n_within[2], 0u);
    EXPECT_NEAR(brute_to_route(g, fac[0].along, pts[2]), 140.0, 1e-9);
    EXPECT_DOUBLE_EQ(reach.along_edge_m(0, 2, 200), 140.0);
    EXPECT_DOUBLE_EQ(reach.along_edge_m(0, 0, 50), 0.0);
    EXPECT_TRUE(std::isinf(reach.along_edge_m(0, 1, 50)));
    EXPECT_DOUBLE_EQ(reach.along_edge_m(1, 2, 200), 80.0); // a point: the old |offset - at|
}

TEST(CoverageNetwork, StreetCoverageAroundARoute)
{
    const Graph g = tee();
    // radius 30: edge 0 is covered all along although its middle (10..70) is more than 30 m
    // from both its ends' reach (the route runs along it); the main street's other arm 30 m
    // from the junction; the side street to 60 + 30
    const std::vector<NetFacility> fac{tee_route(g, 30)};
    const NetworkReach reach = network_reach(g, fac, 1);
    const StreetCoverage s = street_coverage(g, fac, reach);
    EXPECT_NEAR(s.covered_m, 100 + 30 + 90, 1e-9);
    EXPECT_NEAR(s.total_m, 500, 1e-9);
    ASSERT_EQ(s.covered.size(), 3u);
    EXPECT_EQ(s.covered[0].edge, 0u);
    EXPECT_DOUBLE_EQ(s.covered[0].from_m, 0.0);
    EXPECT_DOUBLE_EQ(s.covered[0].to_m, 100.0);
    EXPECT_DOUBLE_EQ(s.covered[1].to_m, 30.0);
    EXPECT_DOUBLE_EQ(s.covered[2].to_m, 90.0);
    ASSERT_EQ(s.uncovered.size(), 2u);
    EXPECT_DOUBLE_EQ(s.uncovered[1].from_m, 90.0);
    EXPECT_DOUBLE_EQ(s.uncovered[1].to_m, 300.0);
}

TEST(CoverageNetwork, RouteJoinedTheShortWayRoundALoop)
{
    // a ring of 400 m drawn as one loop edge at node (0,0), and a dead end of 50 m: the route
    // from (20,0) to (0,80) goes back through the node (20 + 80 m), not 300 m round the ring
    const Graph g = make({{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}, {{0, 0}, {-50, 0}}});
    const StreetRoute r = route_along_streets(g, {snap(g, {{20, 0}, {0, 80}})});
    EXPECT_DOUBLE_EQ(r.walked_m, 100.0);
    ASSERT_EQ(r.stretches.size(), 2u);
    EXPECT_DOUBLE_EQ(r.stretches[0].to_m, 20.0);
    EXPECT_DOUBLE_EQ(r.stretches[1].from_m, 320.0);
    NetFacility f;
    f.along = r.stretches;
    f.radius_m = 200;
    const std::vector<NetFacility> fac{f};
    const NetworkReach reach = network_reach(g, fac, 1);
    // (100,50), offset 150: 130 m to offset 20, 170 m to offset 320; the dead end's tip: 50 m
    const std::vector<NetPoint> pts = snap(g, {{100, 50}, {-50, 0}, {0, 50}});
    const IncidentCoverage c = cover_incidents_network(g, fac, reach, pts, {}, 1);
    EXPECT_NEAR(c.nearest_m[0], 130.0, 1e-9);
    EXPECT_NEAR(c.nearest_m[1], 50.0, 1e-9);
    EXPECT_NEAR(c.nearest_m[2], 0.0, 1e-9);
}

TEST(CoverageNetwork, RouteAcrossComponentsIsAnError)
{
    // two streets that cross without a shared vertex (a bridge): not joined
    const Graph g = make({{{0, 0}, {10, 0}}, {{5, -5}, {5, 5}}});
    try {
        (void)route_along_streets(g, {snap(g, {{2, 0.5}, {5.5, 4}})});
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("vertices 1 and 2 lie in separate parts of the street network"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)route_along_streets(g, {}), ParameterError);
    // a multipart route: each part joined on its own, so parts in separate components are fine
    const StreetRoute r = route_along_streets(g, {snap(g, {{1, 0}, {3, 0}}), snap(g, {{5, 1}, {5, 2}})});
    EXPECT_DOUBLE_EQ(r.walked_m, 3.0);
    EXPECT_EQ(r.stretches.size(), 2u);
}

namespace {

/// A 6 x 6 grid of 20 m blocks with a diagonal and a detached street (another component).
Graph grid()
{
    std::vector<std::vector<Point>> lines;
    for (int i = 0; i <= 5; ++i) {
        std::vector<Point> h, v;
        for (int k = 0; k <= 5; ++k) {
            h.push_back({20.0 * k, 20.0 * i});
            v.push_back({20.0 * i, 20.0 * k});
        }
        lines.push_back(h);
        lines.push_back(v);
    }
    lines.push_back({{0, 0}, {20, 20}, {40, 40}, {60, 60}});
    lines.push_back({{200, 0}, {200, 50}});
    return make(lines);
}

struct GridCase {
    Graph g;
    std::vector<NetFacility> fac;
    std::vector<NetPoint> pts;
};

GridCase grid_setup()
{
    GridCase s{grid(), {}, {}};
    // three routes (one multipart, one drawn across blocks, joined along the streets) and two posts
    const std::vector<std::vector<std::vector<Point>>> routes{
        {{{3, 0}, {57, 1}, {61, 38}, {29, 41}}},
        {{{87, 12}, {99, 99}, {11, 73}}, {{35, 100}, {35, 100}}},
        {{{45, 45}, {0, 33}}}};
    const double radius[] = {6, 10, 4};
    for (std::size_t k = 0; k < routes.size(); ++k) {
        std::vector<std::vector<NetPoint>> parts;
        for (const auto& part : routes[k]) parts.push_back(snap(s.g, part));
        NetFacility f;
        f.along = route_along_streets(s.g, parts).stretches;
        f.radius_m = radius[k];
        f.type = static_cast<std::uint8_t>(k % 2);
        s.fac.push_back(f);
    }
    for (const Point& q : {Point{100, 0}, Point{13, 100}}) {
        NetFacility f;
        f.at = snap(s.g, {q})[0];
        f.radius_m = 15;
        f.type = 2;
        s.fac.push_back(f);
    }
    std::vector<Point> q;
    for (int i = 0; i < 400; ++i) q.push_back({(i * 37 % 211) * 0.5 - 3, (i * 53 % 223) * 0.5 - 4});
    q.push_back({200, 20}); // the detached street: no facility reaches it
    s.pts = snap(s.g, q);
    return s;
}

} // namespace

TEST(CoverageNetwork, RoutesMatchBruteForce)
{
    const GridCase s = grid_setup();
    const NetworkReach reach = network_reach(s.g, s.fac, 1);
    const IncidentCoverage c = cover_incidents_network(s.g, s.fac, reach, s.pts, {}, 1);
    for (std::size_t i = 0; i < s.pts.size(); ++i) {
        double best = INFINITY;
        std::int32_t nearest = -1;
        std::uint32_t within = 0;
        std::uint64_t mask = 0;
        for (std::size_t f = 0; f < s.fac.size(); ++f) {
            const NetFacility& F = s.fac[f];
            const double d = F.along.empty() ? network::network_distance(s.g, F.at, s.pts[i]) : brute_to_route(s.g, F.along, s.pts[i]);
            if (d < best - 1e-9) best = d, nearest = static_cast<std::int32_t>(f);
            if (d <= F.radius_m) ++within, mask |= std::uint64_t{1} << F.type;
            if (!F.along.empty() && i % 4 == 0) {
                // points every 2 m along the route: each an upper bound of the distance to it
                double sampled = INFINITY;
                for (const EdgeStretch& st : F.along)
                    for (double o = st.from_m; o <= st.to_m; o += 2.0) sampled = std::min(sampled, network::network_distance(s.g, {st.edge, o, 0}, s.pts[i]));
                EXPECT_LE(d, sampled + 1e-9) << "place " << i << " route " << f;
                if (std::isfinite(d)) {
                    EXPECT_LE(sampled, d + 2.0) << "place " << i << " route " << f;
                }
            }
        }
        if (std::isinf(best)) {
            EXPECT_EQ(c.nearest[i], -1) << "place " << i;
            continue;
        }
        EXPECT_NEAR(c.nearest_m[i], best, 1e-9) << "place " << i;
        if (std::fabs(c.nearest_m[i] - best) < 1e-9 && nearest >= 0) {
            // a tie may go to either facility at the same distance
            const NetFacility& F = s.fac[static_cast<std::size_t>(c.nearest[i])];
            const double d = F.along.empty() ? network::network_distance(s.g, F.at, s.pts[i]) : brute_to_route(s.g, F.along, s.pts[i]);
            EXPECT_NEAR(d, best, 1e-9) << "place " << i;
        }
        EXPECT_EQ(c.n_within[i], within) << "place " << i;
        EXPECT_EQ(c.type_mask[i], mask) << "place " << i;
        EXPECT_EQ(c.covered[i], within > 0 ? 1 : 0) << "place " << i;
    }
    EXPECT_EQ(c.nearest.back(), -1);
    EXPECT_GT(c.n_covered, 40u);
    EXPECT_LT(c.n_covered, s.pts.size() - 40);
    // covered streets: both ends of every covered stretch within some facility's radius
    const StreetCoverage sc = street_coverage(s.g, s.fac, reach);
    for (const EdgeStretch& st : sc.covered)
        for (double o : {st.from_m, st.to_m}) {
            bool ok = false;
            for (const NetFacility& F : s.fac) {
                const NetPoint p{st.edge, o, 0};
                const double d = F.along.empty() ? network::network_distance(s.g, F.at, p) : brute_to_route(s.g, F.along, p);
                ok = ok || d <= F.radius_m + 1e-9;
            }
            EXPECT_TRUE(ok) << "edge " << st.edge << " offset " << o;
        }
    // and every uncovered stretch's middle beyond every facility's radius
    for (const EdgeStretch& st : sc.uncovered) {
        const NetPoint p{st.edge, 0.5 * (st.from_m + st.to_m), 0};
        for (const NetFacility& F : s.fac) {
            const double d = F.along.empty() ? network::network_distance(s.g, F.at, p) : brute_to_route(s.g, F.along, p);
            EXPECT_GT(d, F.radius_m) << "edge " << st.edge;
        }
    }
}

TEST(CoverageNetwork, RoutesIdenticalForAnyThreadCount)
{
    const GridCase s = grid_setup();
    const NetworkReach r1 = network_reach(s.g, s.fac, 1);
    const IncidentCoverage c1 = cover_incidents_network(s.g, s.fac, r1, s.pts, {}, 1);
    const StreetCoverage s1 = street_coverage(s.g, s.fac, r1);
    const test::ChunkCap cap(2); // many chunks: really several threads on this small input
    for (unsigned threads : {2u, 7u}) {
        const NetworkReach r = network_reach(s.g, s.fac, threads);
        EXPECT_EQ(r.start, r1.start);
        EXPECT_EQ(r.facility, r1.facility);
        EXPECT_EQ(r.dist, r1.dist);
        const IncidentCoverage c = cover_incidents_network(s.g, s.fac, r, s.pts, {}, threads);
        EXPECT_EQ(c.nearest, c1.nearest);
        EXPECT_EQ(c.nearest_m, c1.nearest_m);
        EXPECT_EQ(c.n_within, c1.n_within);
        EXPECT_EQ(c.type_mask, c1.type_mask);
        const StreetCoverage sc = street_coverage(s.g, s.fac, r);
        EXPECT_EQ(sc.covered_m, s1.covered_m);
        EXPECT_EQ(sc.covered.size(), s1.covered.size());
    }
}
