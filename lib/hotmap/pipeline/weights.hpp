// SPDX-License-Identifier: MIT
// The spatial weights of analysis units (grid cells or districts), shared by the commands
// that compute local statistics (hotspots, emerging): DESIGN.md §5 "Weights".
#pragma once

#include "hotmap/stats/weights.hpp"
#include "hotmap/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::pipeline {

/// --distance M|auto, --knn K, --contiguity queen|rook.
struct WeightsSpec {
    std::optional<double> distance_m;            ///< --distance METRES
    bool distance_auto = false;                  ///< --distance auto (the default for grids)
    unsigned knn = 0;                            ///< --knn K
    std::optional<stats::Contiguity> contiguity; ///< --contiguity (the default for districts)
};

/// The weights: k nearest when knn > 0; for polygons without a distance, contiguity (queen by
/// default); else a distance band between `centres`, given or chosen on `x` (the auto rule).
/// `description` gets "distance band 750 m (auto)", "queen contiguity", ...
stats::Weights spatial_weights(const WeightsSpec& s, bool polygons, const std::vector<Point>& centres,
                               const std::vector<std::vector<std::vector<Point>>>& rings, const std::vector<double>& x, unsigned threads,
                               std::string& description);

} // namespace hotmap::pipeline
