// SPDX-License-Identifier: MIT
// `hotmap change` as one library call: per grid cell or district, the incidents of two time
// windows, the exact conditional binomial test of the change, and the styled layer.
#pragma once

#include "hotmap/grid/binning.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/spacetime/change.hpp"

#include <optional>
#include <string>

namespace hotmap::pipeline {

struct ChangeParams {
    spacetime::Window before;                 ///< --before FROM,TO
    spacetime::Window after;                  ///< --after FROM,TO (disjoint from `before`)
    bool on_districts = false;                ///< --on districts (else grid cells)
    double cell_m = 0;                        ///< --cell (grid)
    grid::Shape shape = grid::Shape::square;  ///< --shape
    std::optional<Extent> extent;             ///< --extent (working CRS); default: districts', else incidents'
    bool fdr = true;                          ///< --no-fdr turns it off
    bool shapefile_nulls = false;             ///< write p_change = 1 where null (Shapefiles have no nulls)
    unsigned min_count = 0;                   ///< --min-count K: publication (privacy::suppress_layer, kind change)
};

struct ChangeResult {
    io::VectorLayer layer;        ///< DESIGN.md §4 "change": unit fields + n_before .. change_bin
    spacetime::Change change;     ///< per unit and map-wide figures
    std::size_t units = 0;        ///< analysis units (cells kept, or districts)
    std::uint64_t no_time = 0;    ///< incidents without a time (in neither window)
    std::uint64_t elsewhere = 0;  ///< incidents with a time in neither window
    std::uint64_t outside = 0;    ///< incidents of either window in no unit
    std::string summary;          ///< N_b, N_a, p0, bin counts, similarity index (for -v and the metadata)
};

/// The change of every unit between the two windows (spacetime/change.hpp). Units: the cells
/// of `hotmap grid` (inside the districts when given, zero-count cells kept) or the districts
/// (closed polygons: an incident on a shared boundary counts in both; the overall split counts
/// it once). Counts, not weights: the test is on whole incidents (a warning says so when the
/// incidents carry weights). Throws ParameterError (overlapping windows, no time column,
/// --on districts without districts, cell size), InputError (a window without any incident, or
/// without any in the study area; no extent).
ChangeResult compare_periods(const ChangeParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
