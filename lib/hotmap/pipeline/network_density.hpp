// SPDX-License-Identifier: MIT
// `hotmap density --streets` as one library call: equal-split network kernel density on lixels.
#pragma once

#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/network/density.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/pipeline/network.hpp"

namespace hotmap::pipeline {

struct NetworkDensityParams {
    StreetParams streets;
    double bandwidth_m = 0;          ///< half-width h (gaussian: sigma), metres along the streets
    density::Kernel kernel = density::Kernel::quartic;
    network::Split split = network::Split::discontinuous;
    double lixel_m = 10;             ///< longest street piece
    bool per_metre = false;          ///< --units m: incidents per metre (default: per km of street)
};

struct NetworkDensityResult {
    io::VectorLayer lixels;          ///< lines: lixel_id, edge, street, length_m, density
    std::size_t on_network = 0;      ///< incidents used
    double sum_mass = 0;             ///< sum over lixels of density x length (incidents): the mass kept on the streets
};

/// Density at each lixel's midpoint, in incidents (or weight) per km (per metre) of street.
/// Incidents farther than --max-snap from every street are left out (counted, warned; an error
/// with --strict). Throws as load_streets, ParameterError (bandwidth, lixel).
NetworkDensityResult estimate_network_density(const NetworkDensityParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
