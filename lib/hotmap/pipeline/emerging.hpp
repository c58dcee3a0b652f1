// SPDX-License-Identifier: MIT
// `hotmap emerging` as one library call: the space-time cube of grid cells or districts, Gi*
// per bin, the trend per location and the 17 patterns (DESIGN.md §3 emerging, §4, §5).
#pragma once

#include "hotmap/grid/binning.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/pipeline/weights.hpp"
#include "hotmap/spacetime/cube.hpp"
#include "hotmap/spacetime/emerging.hpp"

#include <array>
#include <optional>
#include <string>

namespace hotmap::pipeline {

struct EmergingParams : WeightsSpec {
    bool on_districts = false;                  ///< --on districts (else grid cells)
    double cell_m = 0;                          ///< --cell
    grid::Shape shape = grid::Shape::square;
    spacetime::StepSpec step;                   ///< --period / --step
    bool drop_partial = false;
    std::optional<Timestamp> from, to;          ///< --from/--to: the span the steps cover
    unsigned time_neighbors = 1;
    bool fdr = true;
    bool cube = false;                          ///< build the --cube layer
    bool shapefile_nulls = false;               ///< z = 0, p = 1 where null (Shapefiles have no nulls)
    unsigned min_count = 0;                     ///< --min-count K: locations' counts suppressed (publication; no cube)
};

struct EmergingResult {
    io::VectorLayer layer;  ///< one feature per location: LOCATION, CATEGORY, PATTERN, MK_*, HOT_STEPS, ...
    io::VectorLayer cube;   ///< one feature per location and step (with --cube): a datetime per step for QGIS's temporal controller
    spacetime::Steps steps;
    std::string weights;    ///< the spatial weights, for -v and the metadata
    std::array<std::size_t, 17> patterns{}; ///< locations per CATEGORY -8..8
    std::size_t locations = 0;
    std::string summary;    ///< pattern counts line
};

/// Throws InputError (no timestamps, fewer than 2 steps, fewer than 3 locations, a constant
/// cube), ParameterError (bad weights or grid parameters).
EmergingResult emerging_hotspots(const EmergingParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
