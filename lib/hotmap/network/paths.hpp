// SPDX-License-Identifier: MIT
// Shortest paths along the streets: Dijkstra with a binary heap from points on the network
// (a point is joined to both ends of its edge, and to points on the same edge directly).
#pragma once

#include "hotmap/network/graph.hpp"

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace hotmap::network {

inline constexpr std::uint32_t k_no_source = static_cast<std::uint32_t>(-1);

/// Per node: the distance to the nearest source and which source (k_no_source when none is
/// reachable within the limit). Ties go to the lowest source index.
struct NodeDistances {
    std::vector<double> dist;
    std::vector<std::uint32_t> source;
};

/// Multi-source Dijkstra from every source at once, nodes farther than `limit_m` left unreached.
NodeDistances nearest_sources(const Graph& g, const std::vector<NetPoint>& sources,
                              double limit_m = std::numeric_limits<double>::infinity());

/// A start of a search: a node, the distance already walked to it, and the source it counts for.
struct NodeSeed {
    std::uint32_t node = 0;
    double dist_m = 0;
    std::uint32_t source = 0;
};

/// Multi-source Dijkstra from seeds placed on nodes (a source may have several seeds: the ends
/// of every stretch of street it occupies). Ties go to the lowest source index.
NodeDistances nearest_sources(const Graph& g, const std::vector<NodeSeed>& seeds,
                              double limit_m = std::numeric_limits<double>::infinity());

/// Nodes within `limit_m` of one source, with their distances, in increasing node order.
std::vector<std::pair<std::uint32_t, double>> reach_from(const Graph& g, const NetPoint& source, double limit_m);

/// The same from several seeds of one source at once (their `source` is ignored): the distance
/// of a node is the shortest from any seed.
std::vector<std::pair<std::uint32_t, double>> reach_from(const Graph& g, const std::vector<NodeSeed>& seeds, double limit_m);

/// The distance from a point on the network to whatever `d` measures, using its edge's two ends
/// (d must hold both end nodes' distances).
inline double via_ends(const Graph& g, const NodeDistances& d, const NetPoint& p, std::uint32_t* source = nullptr)
{
    const Edge& e = g.edges[p.edge];
    const double a = d.dist[e.from] + p.offset_m, b = d.dist[e.to] + (e.length_m - p.offset_m);
    const bool pick_a = a < b || (a == b && d.source[e.from] <= d.source[e.to]);
    if (source) *source = pick_a ? d.source[e.from] : d.source[e.to];
    return pick_a ? a : b;
}

/// Shortest distance along the streets between two points (infinite when they are in
/// different components).
double network_distance(const Graph& g, const NetPoint& a, const NetPoint& b);

/// A shortest path along the streets: the stretches of edge it runs along, in path order from
/// its start (each stretch with from_m <= to_m, whichever way it is walked), and its length.
/// Between two points of one edge the path is the direct stretch between them, unless going
/// round through the graph is shorter; two equal points give one stretch of zero length.
struct Path {
    std::vector<EdgeStretch> stretches; ///< empty when there is no path
    double length_m = std::numeric_limits<double>::infinity();
    bool found() const noexcept { return !stretches.empty(); }
};

/// The shortest path from a to b (Dijkstra with predecessors from a's two edge ends until both
/// ends of b's edge are settled; nothing is searched when they lie in different components,
/// and the result is then empty with an infinite length). Ties: the direct stretch first, then
/// the way through the start of b's edge.
Path shortest_path(const Graph& g, const NetPoint& a, const NetPoint& b);

} // namespace hotmap::network
