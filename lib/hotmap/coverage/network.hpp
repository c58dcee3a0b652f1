// SPDX-License-Identifier: MIT
// Coverage along the streets: distances follow the street network instead of straight lines.
// A facility reaches the places whose shortest path along the streets is <= its radius.
#pragma once

#include "hotmap/coverage/summary.hpp"
#include "hotmap/network/graph.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::coverage {

using network::EdgeStretch;

/// A facility placed on the network: a point (a post, a lamp) or the stretches of street it
/// occupies (a patrol route, see route_along_streets). A place's network distance to a route is
/// the shortest path to any point of its stretches (0 on the route).
struct NetFacility {
    network::NetPoint at;           ///< the point (when `along` is empty)
    double radius_m = 0;
    std::uint8_t type = 0;          ///< type position (bit in IncidentCoverage::type_mask), 255 = beyond 64
    std::vector<EdgeStretch> along; ///< a route's stretches, in any order (empty = the point `at`)
};

/// Stretches sorted by edge and offset, overlapping or touching stretches of an edge merged.
std::vector<EdgeStretch> merge_stretches(std::vector<EdgeStretch> s);

/// A route on the streets: the stretches it occupies (merged, in edge order), the length
/// walked along the streets (a stretch walked twice counts twice) and the street length it
/// occupies.
struct StreetRoute {
    std::vector<EdgeStretch> stretches;
    double walked_m = 0, street_m = 0;
};

/// A route whose vertices (per part, in drawing order) are already on the network: each pair of
/// consecutive vertices is joined by the shortest path along the streets (so a route drawn
/// along the streets is followed as drawn); a part of one vertex is that place. Throws
/// InputError ("vertices K and K+1 ... lie in separate parts of the street network") when a
/// pair cannot be joined; ParameterError for a route without vertices.
StreetRoute route_along_streets(const network::Graph& g, const std::vector<std::vector<network::NetPoint>>& parts);

/// Per facility, the nodes it reaches within its radius, turned around: per node, the
/// facilities reaching it and their distances (CSR, facilities in increasing order).
struct NetworkReach {
    std::vector<std::uint32_t> start;   ///< nodes + 1
    std::vector<std::uint32_t> facility;
    std::vector<double> dist;
    std::vector<std::vector<std::uint32_t>> on_edge; ///< per edge: the facilities lying on it (each once, increasing)
    /// Per facility its stretches (CSR: part_start has facilities + 1 entries), merged, in edge
    /// order; a point facility is one stretch of zero length.
    std::vector<std::uint32_t> part_start;
    std::vector<EdgeStretch> parts;

    /// The distance along `edge` from `offset_m` to facility f's stretches on that edge: 0 inside
    /// one, else to the nearer end (for a point, the distance to it); infinite when it has none
    /// there.
    double along_edge_m(std::uint32_t f, std::uint32_t edge, double offset_m) const;
};

/// Bounded Dijkstra from every facility (facilities in parallel; identical results for any
/// thread count). A route's search starts from every one of its stretches at once: the start of
/// the stretch's edge at from_m, its end at length - to_m.
NetworkReach network_reach(const network::Graph& g, const std::vector<NetFacility>& fac, unsigned threads);

/// Per incident: network distance to the nearest facility (any radius), covered / n_within /
/// type_mask by network distance <= each facility's own radius. Incidents with
/// `on_network[i] == 0` (beyond the snap limit) get no nearest facility and are not covered.
IncidentCoverage cover_incidents_network(const network::Graph& g, const std::vector<NetFacility>& fac, const NetworkReach& reach,
                                         const std::vector<network::NetPoint>& incidents,
                                         const std::vector<std::uint8_t>& on_network, unsigned threads);

/// The streets within reach of at least one facility (the union of every facility's service
/// area, cut at the exact reach points), and the rest (the gaps), each edge by edge, in edge
/// order, adjacent stretches merged.
struct StreetCoverage {
    std::vector<EdgeStretch> covered, uncovered;
    double covered_m = 0, total_m = 0;
};
StreetCoverage street_coverage(const network::Graph& g, const std::vector<NetFacility>& fac, const NetworkReach& reach);

/// Street length inside each district and the covered part of it (metres): the edges and the
/// covered stretches intersected with each closed polygon (districts in parallel).
struct DistrictStreets {
    std::vector<double> street_m, covered_m;
};
DistrictStreets street_length_by_district(const geom::NamedPolygons& d, const network::Graph& g, const StreetCoverage& s,
                                          unsigned threads);

/// Uncovered incidents (covered == 0, on the network) on each uncovered stretch: a stretch
/// holds the incidents whose offset lies in [from_m, to_m] (one on the shared end of two
/// stretches of an edge counts in the first).
std::vector<std::uint64_t> incidents_on_stretches(const std::vector<EdgeStretch>& stretches, const std::vector<network::NetPoint>& inc,
                                                  const std::vector<std::uint8_t>& keep);

} // namespace hotmap::coverage
