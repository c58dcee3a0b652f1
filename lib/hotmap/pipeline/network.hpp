// SPDX-License-Identifier: MIT
// The street network of a run (--streets): read once, built once, with the snapping of
// incidents and facilities onto it (coverage, density and site along the streets).
#pragma once

#include "hotmap/coverage/network.hpp"
#include "hotmap/log.hpp"
#include "hotmap/network/graph.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <memory>
#include <string>
#include <vector>

namespace hotmap::pipeline {

struct StreetParams {
    std::string path;               ///< --streets (empty = straight-line distances)
    std::string layer;              ///< --streets-layer
    std::string crs;                ///< --streets-crs: CRS of a layer without one
    double snap_tolerance_m = 0.01; ///< --snap-tolerance: vertices closer than this are one node
    double max_snap_m = 50;         ///< --max-snap: farthest a point may be moved onto a street
    bool strict = false;            ///< an incident beyond max_snap_m is an error (--strict)
    bool given() const noexcept { return !path.empty(); }
};

/// The graph and its nearest-street index (not copyable: the index refers to the graph).
struct Streets {
    std::unique_ptr<network::Graph> graph;
    std::unique_ptr<network::EdgeIndex> index;
    std::string source;
    double max_snap_m = 50;
};

/// Read the street layer into the working CRS and build the graph. Logs lines, nodes, edges,
/// length and components (a warning when the network falls apart into several pieces).
/// Throws InputError (no line layer, a feature that is not a line, an empty network), CrsError
/// (no CRS, a geographic working CRS), ParameterError.
Streets load_streets(const StreetParams& p, const crs::Crs& working, Log& log);

/// The incidents on the network. Incidents farther than max_snap_m from every street are
/// kept off the network (on_network = 0: no network distance, not covered, no density) and
/// counted in a warning that names the first; with `strict` the first is an error (InputError
/// naming the file and row).
struct SnappedIncidents {
    std::vector<network::NetPoint> at;
    std::vector<std::uint8_t> on_network;
    std::size_t off_network = 0;
    double max_snap_m = 0; ///< the largest snap distance among those on the network
};
SnappedIncidents snap_incidents(const Streets& s, const StreetParams& p, const Inputs& in, Log& log);

/// Points (facilities, candidates) on the network; one farther than max_snap_m is an error
/// naming `what` and its 1-based position (`label(i)` when given).
std::vector<network::NetPoint> snap_required(const Streets& s, const std::vector<Point>& pts, const std::string& what,
                                             unsigned threads, const std::vector<std::string>& labels = {});

/// Facilities on the network (radius copied, type left 0). A point is moved to the nearest
/// street. A line (a patrol route) has each vertex moved to the nearest street and each part's
/// consecutive vertices joined by the shortest way along the streets
/// (coverage::route_along_streets): it then occupies those stretches, and a place's distance to
/// it is the walk to its nearest point. A multipoint occupies its points. Throws InputError
/// naming the facility's type and feature (and vertex) for a point beyond max_snap_m, and for a
/// route whose vertices lie in separate parts of the network. Logs each route's length along the
/// streets.
std::vector<coverage::NetFacility> facilities_on_streets(const Streets& s, const std::vector<coverage::Facility>& fac, unsigned threads,
                                                         Log& log);

} // namespace hotmap::pipeline
