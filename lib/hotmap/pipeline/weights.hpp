// SPDX-License-Identifier: MIT
// The spatial weights of analysis units (grid cells or districts), shared by the commands
// that compute local statistics (hotspots, emerging): DESIGN.md §5 "Weights".
#pragma once

#include "hotmap/grid/binning.hpp"
#include "hotmap/stats/lattice_weights.hpp"
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
    /// a distance band on a square lattice as a stencil (unit_weights) rather than lists; off
    /// only to compare the two (tests, benchmarks): the results are the same to the bit
    bool stencil = true;
};

/// The weights: k nearest when knn > 0; for polygons without a distance, contiguity (queen by
/// default); else a distance band between `centres`, given or chosen on `x` (the auto rule).
/// `description` gets "distance band 750 m (auto)", "queen contiguity", ...
stats::Weights spatial_weights(const WeightsSpec& s, bool polygons, const std::vector<Point>& centres,
                               const std::vector<std::vector<std::vector<Point>>>& rings, const std::vector<double>& x, unsigned threads,
                               std::string& description);

/// The weights of analysis units: a distance band (given or auto) between the cells of a
/// square `lattice` as a stencil (no neighbour lists: O(grid cells) memory, the same
/// neighbours, and every statistic the same to the bit), else the lists of spatial_weights.
/// The stencil is not used for hex cells, k nearest, contiguity, districts, or a band within
/// 1e-7 of a centre distance of the lattice (there the lists' rounding tolerance decides).
struct UnitWeights {
    std::optional<stats::LatticeWeights> stencil; ///< when set, `lists` is empty
    stats::Weights lists;
    std::string description;
    std::size_t size() const noexcept { return stencil ? stencil->size() : lists.size(); }
    std::size_t count(std::size_t i) const noexcept { return stencil ? stencil->count(i) : lists.count(i); }
    std::size_t links() const noexcept { return stencil ? stencil->links() : lists.links(); }
};

/// `lattice` may be null (districts); `centres` are its cells' centres.
UnitWeights unit_weights(const WeightsSpec& s, bool polygons, const grid::Lattice* lattice, const std::vector<Point>& centres,
                         const std::vector<std::vector<std::vector<Point>>>& rings, const std::vector<double>& x, unsigned threads);

} // namespace hotmap::pipeline
