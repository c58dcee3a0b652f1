// SPDX-License-Identifier: MIT
// The street network as a graph built once: nodes at line ends and at vertices that lines
// share, edges with their geometry and length, connected components, and the snapping of
// points (incidents, facilities) to the nearest place on a street.
//
// Junctions: a node is made where a line ends, and where a vertex of one line coincides
// (within the snap tolerance) with a vertex of another line or of the same line elsewhere
// (OpenStreetMap and most street centre-line data share vertices at junctions). Lines that
// cross without a shared vertex are NOT joined: that is how bridges, tunnels and flyovers are
// drawn. Vertices closer than the tolerance are merged into one node (greedily, in input
// order, so the result does not depend on anything but the input).
#pragma once

#include "hotmap/types.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace hotmap::network {

/// Street lines in a projected CRS (metres): one vertex list per line part.
struct StreetLines {
    std::vector<std::vector<Point>> lines;
    std::vector<std::uint32_t> feature; ///< per line: its source feature (1-based); empty = 1..n
};

struct GraphParams {
    double snap_tolerance_m = 0.01; ///< vertices closer than this are one node
};

/// A street between two nodes. Its geometry runs from `from` to `to`.
struct Edge {
    std::uint32_t from = 0, to = 0;
    double length_m = 0;
    std::uint32_t first = 0; ///< its first vertex in Graph::vertices
    std::uint32_t count = 0; ///< its number of vertices (>= 2)
    std::uint32_t feature = 0; ///< source feature (1-based)
};

class Graph {
public:
    std::vector<Point> nodes;
    std::vector<Edge> edges;
    std::vector<Point> vertices;      ///< edge geometries, edge after edge
    std::vector<double> along;        ///< per vertex: metres from its edge's start
    std::vector<std::uint32_t> adj_start; ///< CSR, nodes.size() + 1
    std::vector<std::uint32_t> adj_edge;  ///< edges at each node (a loop edge is listed twice)
    std::vector<std::uint32_t> component; ///< per node: its connected component (0 = the largest)
    std::vector<double> component_length_m; ///< per component, largest first
    double total_length_m = 0;
    std::size_t input_lines = 0;
    std::size_t dropped_lines = 0;    ///< lines of zero length after merging (a point, or one vertex repeated)
    std::size_t merged_vertices = 0;  ///< vertices moved onto a node within the tolerance

    std::uint32_t degree(std::uint32_t node) const noexcept { return adj_start[node + 1] - adj_start[node]; }
    std::uint32_t other(std::uint32_t edge, std::uint32_t node) const noexcept
    {
        return edges[edge].from == node ? edges[edge].to : edges[edge].from;
    }
    std::size_t n_components() const noexcept { return component_length_m.size(); }
    /// The point `offset_m` metres along the edge from its start (clamped to the edge).
    Point point_at(std::uint32_t edge, double offset_m) const;
    /// The part of the edge's geometry between offsets a <= b (exact cut points included).
    std::vector<Point> piece(std::uint32_t edge, double a, double b) const;
};

/// Build the graph. Throws ParameterError (tolerance not positive), InputError ("the street
/// network is empty": no line of non-zero length).
Graph build_graph(const StreetLines& streets, const GraphParams& p = {});

/// A place on the network: an edge and the distance along it from its start.
struct NetPoint {
    std::uint32_t edge = 0;
    double offset_m = 0;
    double snap_m = std::numeric_limits<double>::infinity(); ///< straight-line distance to the original point
};

/// A stretch [from_m, to_m] of an edge (offsets from the edge's start, from_m <= to_m; a single
/// place when they are equal).
struct EdgeStretch {
    std::uint32_t edge = 0;
    double from_m = 0, to_m = 0;
};

/// Nearest-street queries over the edges' straight segments (a uniform grid). Build once, query
/// from any thread.
class EdgeIndex {
public:
    explicit EdgeIndex(const Graph& g);
    /// The nearest point of the network (the projection onto the nearest segment; ties go to the
    /// lowest segment, so results are deterministic).
    NetPoint snap(double x, double y) const;

private:
    const Graph& m_g;
    std::vector<std::uint32_t> m_seg_edge; ///< per segment (vertex k to k+1 of Graph::vertices): its edge
    std::vector<std::uint32_t> m_seg_vertex; ///< per segment: index of its first vertex
    double m_x0 = 0, m_y0 = 0, m_cell = 1;
    long m_nx = 0, m_ny = 0;
    std::vector<std::uint32_t> m_start, m_items;
};

/// Snap points to the network on `threads` threads (identical results for any thread count).
std::vector<NetPoint> snap_points(const EdgeIndex& index, const std::vector<Point>& pts, unsigned threads);

} // namespace hotmap::network
