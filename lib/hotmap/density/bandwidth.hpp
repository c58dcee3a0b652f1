// SPDX-License-Identifier: MIT
// Automatic kernel bandwidth: the ArcGIS "default search radius" rule (DESIGN.md §5).
#pragma once

#include "hotmap/types.hpp"

#include <vector>

namespace hotmap::density {

/// The quantities behind the automatic bandwidth, in metres (working CRS).
struct BandwidthRule {
    double standard_distance = 0; ///< SD = sqrt(sum w d_i^2 / sum w), d_i to the (weighted) mean centre
    double median_distance = 0;   ///< Dm: median of d_i (weighted median when weights differ;
                                  ///< mean of the two middle values when the half-weight falls between)
    double n = 0;                 ///< number of incidents, or the sum of the weights
    double bandwidth = 0;         ///< 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2
};

/// ArcGIS rule 0.9 * min(SD, sqrt(1/ln 2) * Dm) * n^-0.2. With `weighted`, the mean centre,
/// SD and median use the incident weights and n is their sum. Throws InputError (a data
/// condition, exit 1) when
/// there are no incidents or every incident is at the same place (bandwidth 0).
BandwidthRule auto_bandwidth(const std::vector<Incident>& items, bool weighted);

} // namespace hotmap::density
