// SPDX-License-Identifier: MIT
// Emerging hot spot analysis (DESIGN.md §5): Gi* on every bin of the space-time cube with
// neighbours in space and time, the Mann-Kendall trend of each location's z-series, and the
// 17 patterns (8 hot, 8 cold, none).
#pragma once

#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/mann_kendall.hpp"
#include "hotmap/stats/weights.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::spacetime {

/// Space-time weights over the bins of L locations x T steps (bin index l * T + t): bin (l, t)
/// neighbours the bins (m, s) with m = l or a spatial neighbour of l, and t - N <= s <= t,
/// except itself (Gi* adds self). Binary, rows ascending.
stats::Weights space_time_weights(const stats::Weights& spatial, std::size_t steps, unsigned time_neighbors);

/// The pattern of a location from its bins over time (-3..3, FDR-corrected: |bin| >= 1 is
/// significant at 90%) and the Mann-Kendall trend of its z-series (trend: p <= 0.05).
/// 1..8 hot, -1..-8 cold (the mirror), 0 none; the rules of DESIGN.md §5 in their order, hot
/// rules first:
///  1 New: hot in the final step, never hot before.
///  2 Consecutive: a single run of >= 2 hot steps ending with the final step, never hot before
///    the run, hot in < 90% of the steps.
///  3 Intensifying: hot in >= 90% of the steps including the final one, significant increasing trend.
///  4 Persistent: the same, no significant trend.
///  5 Diminishing: the same, significant decreasing trend.
///  6 Sporadic: hot in the final step, hot in < 90% of the steps, never cold.
///  7 Oscillating: hot in the final step, hot in < 90% of the steps, cold in some earlier step.
///  8 Historical: not hot in the final step, hot in >= 90% of the steps.
/// Cold: the same with hot and cold, increasing and decreasing swapped.
int classify(const std::vector<int>& bins, const stats::MannKendall& trend);

/// "New Hot Spot", ..., "Historical Cold Spot", "No Pattern Detected".
std::string pattern_name(int category);

struct EmergingOptions {
    unsigned time_neighbors = 1; ///< N previous steps in each bin's neighbourhood
    bool fdr = true;
    unsigned threads = 0;
};

struct Emerging {
    stats::GiStar bins;                 ///< per bin (l * T + t): z, p, nn, Gi_Bin
    std::vector<int> category;          ///< per location, -8..8
    std::vector<stats::MannKendall> trend; ///< per location, of its z-series
    std::vector<std::uint32_t> hot_steps, cold_steps; ///< per location
    std::array<std::size_t, 17> pattern_counts{}; ///< locations per category -8..8
};

/// Run the analysis on the cube `x` (location-major, L x T) with the spatial weights of the L
/// locations. Throws InputError (fewer than 3 bins, a constant cube).
Emerging emerging_hotspots(const std::vector<double>& x, std::size_t locations, std::size_t steps, const stats::Weights& spatial,
                           const EmergingOptions& o);

} // namespace hotmap::spacetime
