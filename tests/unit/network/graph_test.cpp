// SPDX-License-Identifier: MIT
// The street graph on hand-made networks: junction nodes, crossings that are not junctions,
// endpoint snapping tolerance, components, snapping of points, shortest paths.
#include "hotmap/error.hpp"
#include "hotmap/network/graph.hpp"
#include "hotmap/network/paths.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace hotmap;
using namespace hotmap::network;

namespace {
Graph make(std::vector<std::vector<Point>> lines, double tol = 0.01)
{
    StreetLines s;
    s.lines = std::move(lines);
    GraphParams p;
    p.snap_tolerance_m = tol;
    return build_graph(s, p);
}
} // namespace

TEST(NetworkGraph, SharedVertexIsAJunction)
{
    // a street through (10,0) and a side street starting there: T junction, 3 edges
    const Graph g = make({{{0, 0}, {10, 0}, {20, 0}}, {{10, 0}, {10, 10}}});
    ASSERT_EQ(g.nodes.size(), 4u);
    ASSERT_EQ(g.edges.size(), 3u);
    EXPECT_DOUBLE_EQ(g.total_length_m, 30.0);
    EXPECT_EQ(g.n_components(), 1u);
    EXPECT_EQ(g.degree(1), 3u); // (10,0)
    EXPECT_DOUBLE_EQ(g.nodes[1].x, 10.0);
}

TEST(NetworkGraph, CrossingWithoutSharedVertexIsABridge)
{
    const Graph g = make({{{0, 0}, {10, 0}}, {{5, -5}, {5, 5}}});
    EXPECT_EQ(g.nodes.size(), 4u);
    EXPECT_EQ(g.edges.size(), 2u);
    EXPECT_EQ(g.n_components(), 2u);
    const NetPoint a{0, 2, 0}, b{1, 8, 0};
    EXPECT_TRUE(std::isinf(network_distance(g, a, b)));
}

TEST(NetworkGraph, EndsWithinTheToleranceAreMerged)
{
    const std::vector<std::vector<Point>> lines{{{0, 0}, {10, 0}}, {{10.005, 0}, {20, 0}}};
    const Graph g = make(lines, 0.01);
    EXPECT_EQ(g.nodes.size(), 3u);
    EXPECT_EQ(g.n_components(), 1u);
    EXPECT_EQ(g.merged_vertices, 1u);
    EXPECT_NEAR(g.total_length_m, 20.0, 1e-12); // the second street now starts at (10, 0)
    const Graph h = make(lines, 0.001);
    EXPECT_EQ(h.nodes.size(), 4u);
    EXPECT_EQ(h.n_components(), 2u);
    EXPECT_NEAR(h.component_length_m[0], 10.0, 1e-12); // largest first (9.995 is the second)
}

TEST(NetworkGraph, EmptyAndDegenerateNetworks)
{
    EXPECT_THROW(make({}), InputError);
    EXPECT_THROW(make({{{1, 1}, {1, 1}}}), InputError); // one vertex repeated: no street
    const Graph g = make({{{1, 1}, {1, 1}}, {{0, 0}, {3, 4}}});
    EXPECT_EQ(g.dropped_lines, 1u);
    EXPECT_EQ(g.edges.size(), 1u);
    EXPECT_THROW(make({{{0, 0}, {1, 0}}}, 0), ParameterError);
}

TEST(NetworkGraph, LoopAndDeadEnd)
{
    // a closed ring drawn as one line: one node, one loop edge of 40 m (degree 2), and a dead end
    const Graph g = make({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{0, 0}, {-5, 0}}});
    ASSERT_EQ(g.nodes.size(), 2u);
    ASSERT_EQ(g.edges.size(), 2u);
    EXPECT_EQ(g.degree(0), 3u);
    EXPECT_EQ(g.degree(1), 1u);
    // (2,0) to (0,8): 30 m one way round the ring, 10 m the other
    EXPECT_DOUBLE_EQ(network_distance(g, {0, 2, 0}, {0, 32, 0}), 10.0);
    // (2,0) to the dead end's tip: 2 + 5
    EXPECT_DOUBLE_EQ(network_distance(g, {0, 2, 0}, {1, 5, 0}), 7.0);
    const Point p = g.point_at(0, 15);
    EXPECT_DOUBLE_EQ(p.x, 10.0);
    EXPECT_DOUBLE_EQ(p.y, 5.0);
    const std::vector<Point> piece = g.piece(0, 5, 25);
    ASSERT_EQ(piece.size(), 4u); // (5,0) (10,0) (10,10) (5,10)
    EXPECT_DOUBLE_EQ(piece[3].x, 5.0);
    EXPECT_DOUBLE_EQ(piece[3].y, 10.0);
}

TEST(NetworkGraph, SnapToNearestSegment)
{
    const Graph g = make({{{0, 0}, {10, 0}, {20, 0}}, {{10, 0}, {10, 10}}});
    const EdgeIndex ix(g);
    const NetPoint a = ix.snap(5, 3);
    EXPECT_EQ(a.edge, 0u);
    EXPECT_DOUBLE_EQ(a.offset_m, 5.0);
    EXPECT_DOUBLE_EQ(a.snap_m, 3.0);
    const NetPoint b = ix.snap(12, 7); // 2 m from the side street, 7 m from the main one
    EXPECT_EQ(b.edge, 2u);
    EXPECT_DOUBLE_EQ(b.offset_m, 7.0);
    EXPECT_DOUBLE_EQ(b.snap_m, 2.0);
    const NetPoint far = ix.snap(1000, -500); // far outside the grid
    EXPECT_EQ(far.edge, 1u);
    EXPECT_DOUBLE_EQ(far.offset_m, 10.0);
    EXPECT_NEAR(far.snap_m, std::hypot(980.0, 500.0), 1e-9);
    // from (5,0) along the main street to (10,0), then up the side street to (10,7)
    EXPECT_DOUBLE_EQ(network_distance(g, a, b), 12.0);
    // same-edge distance is direct
    EXPECT_DOUBLE_EQ(network_distance(g, a, {0, 9, 0}), 4.0);
}

TEST(NetworkGraph, SnapIsIdenticalForAnyThreadCount)
{
    std::vector<std::vector<Point>> lines;
    for (int i = 0; i <= 20; ++i) {
        lines.push_back({{0, 10.0 * i}, {200, 10.0 * i}});
        lines.push_back({{10.0 * i, 0}, {10.0 * i, 200}});
    }
    const Graph g = make(lines);
    const EdgeIndex ix(g);
    std::vector<Point> pts;
    for (int i = 0; i < 500; ++i) pts.push_back({(i * 37 % 211) - 5.5, (i * 53 % 223) - 7.25});
    const std::vector<NetPoint> one = snap_points(ix, pts, 1);
    const test::ChunkCap cap(3);
    const std::vector<NetPoint> many = snap_points(ix, pts, 4);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        EXPECT_EQ(one[i].edge, many[i].edge);
        EXPECT_EQ(one[i].offset_m, many[i].offset_m);
        EXPECT_EQ(one[i].snap_m, many[i].snap_m);
    }
}

TEST(NetworkPaths, ShortestPathThroughTheJunction)
{
    // the T of SnapToNearestSegment: edge 0 (0,0)-(10,0), edge 1 (10,0)-(20,0), edge 2 (10,0)-(10,10)
    const Graph g = make({{{0, 0}, {10, 0}, {20, 0}}, {{10, 0}, {10, 10}}});
    const Path p = shortest_path(g, {0, 5, 0}, {2, 7, 0});
    ASSERT_EQ(p.stretches.size(), 2u);
    EXPECT_DOUBLE_EQ(p.length_m, 12.0);
    EXPECT_EQ(p.stretches[0].edge, 0u);
    EXPECT_DOUBLE_EQ(p.stretches[0].from_m, 5.0);
    EXPECT_DOUBLE_EQ(p.stretches[0].to_m, 10.0);
    EXPECT_EQ(p.stretches[1].edge, 2u);
    EXPECT_DOUBLE_EQ(p.stretches[1].from_m, 0.0);
    EXPECT_DOUBLE_EQ(p.stretches[1].to_m, 7.0);
    // the other way: the same stretches in the other order
    const Path q = shortest_path(g, {2, 7, 0}, {0, 5, 0});
    ASSERT_EQ(q.stretches.size(), 2u);
    EXPECT_DOUBLE_EQ(q.length_m, 12.0);
    EXPECT_EQ(q.stretches[0].edge, 2u);
    EXPECT_EQ(q.stretches[1].edge, 0u);
    EXPECT_DOUBLE_EQ(q.stretches[1].from_m, 5.0);
    // one edge: the direct stretch; one place: a stretch of zero length
    const Path d = shortest_path(g, {0, 8, 0}, {0, 2, 0});
    ASSERT_EQ(d.stretches.size(), 1u);
    EXPECT_DOUBLE_EQ(d.length_m, 6.0);
    EXPECT_DOUBLE_EQ(d.stretches[0].from_m, 2.0);
    EXPECT_DOUBLE_EQ(d.stretches[0].to_m, 8.0);
    const Path z = shortest_path(g, {1, 3, 0}, {1, 3, 0});
    ASSERT_EQ(z.stretches.size(), 1u);
    EXPECT_DOUBLE_EQ(z.length_m, 0.0);
    EXPECT_DOUBLE_EQ(z.stretches[0].from_m, 3.0);
    EXPECT_DOUBLE_EQ(z.stretches[0].to_m, 3.0);
    // the search state is reset between calls: the first path again, the same
    const Path again = shortest_path(g, {0, 5, 0}, {2, 7, 0});
    EXPECT_DOUBLE_EQ(again.length_m, 12.0);
    EXPECT_EQ(again.stretches.size(), 2u);
}

TEST(NetworkPaths, ShortestPathCrossesWholeEdges)
{
    // three streets in a row (junctions at x = 10 and 20): from 5 on the first to 5 on the third
    const Graph g = make({{{0, 0}, {10, 0}}, {{10, 0}, {20, 0}}, {{20, 0}, {30, 0}}});
    const Path p = shortest_path(g, {0, 5, 0}, {2, 5, 0});
    ASSERT_EQ(p.stretches.size(), 3u);
    EXPECT_DOUBLE_EQ(p.length_m, 20.0);
    EXPECT_EQ(p.stretches[1].edge, 1u);
    EXPECT_DOUBLE_EQ(p.stretches[1].from_m, 0.0);
    EXPECT_DOUBLE_EQ(p.stretches[1].to_m, 10.0);
    EXPECT_DOUBLE_EQ(p.stretches[2].to_m, 5.0);
}

TEST(NetworkPaths, ShortestPathGoesRoundTheLoop)
{
    // the ring of LoopAndDeadEnd (one loop edge of 40 m at node (0,0)): from offset 2 to offset 32
    // directly is 30 m, back through the node is 2 + 8 = 10 m
    const Graph g = make({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{0, 0}, {-5, 0}}});
    const Path p = shortest_path(g, {0, 2, 0}, {0, 32, 0});
    ASSERT_EQ(p.stretches.size(), 2u);
    EXPECT_DOUBLE_EQ(p.length_m, 10.0);
    EXPECT_DOUBLE_EQ(p.stretches[0].from_m, 0.0);
    EXPECT_DOUBLE_EQ(p.stretches[0].to_m, 2.0);
    EXPECT_DOUBLE_EQ(p.stretches[1].from_m, 32.0);
    EXPECT_DOUBLE_EQ(p.stretches[1].to_m, 40.0);
    EXPECT_DOUBLE_EQ(shortest_path(g, {0, 2, 0}, {0, 12, 0}).length_m, 10.0); // direct is shorter here
}

TEST(NetworkPaths, NoShortestPathBetweenComponents)
{
    const Graph g = make({{{0, 0}, {10, 0}}, {{5, -5}, {5, 5}}});
    const Path p = shortest_path(g, {0, 2, 0}, {1, 8, 0});
    EXPECT_FALSE(p.found());
    EXPECT_TRUE(std::isinf(p.length_m));
}
