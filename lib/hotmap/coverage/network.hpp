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

/// A point facility placed on the network.
struct NetFacility {
    network::NetPoint at;
    double radius_m = 0;
    std::uint8_t type = 0; ///< type position (bit in IncidentCoverage::type_mask), 255 = beyond 64
};

/// Per facility, the nodes it reaches within its radius, turned around: per node, the
/// facilities reaching it and their distances (CSR, facilities in increasing order).
struct NetworkReach {
    std::vector<std::uint32_t> start;   ///< nodes + 1
    std::vector<std::uint32_t> facility;
    std::vector<double> dist;
    std::vector<std::vector<std::uint32_t>> on_edge; ///< per edge: the facilities lying on it
};

/// Bounded Dijkstra from every facility (facilities in parallel; identical results for any
/// thread count).
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
