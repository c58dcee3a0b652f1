// SPDX-License-Identifier: MIT
// `hotmap grid` as one library call: incidents aggregated to a square or hexagonal grid.
#pragma once

#include "hotmap/grid/binning.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <optional>

namespace hotmap::pipeline {

struct GridParams {
    double cell_m = 0;                ///< square side or hex distance between opposite edges
    grid::Shape shape = grid::Shape::square;
    std::optional<Extent> extent;     ///< --extent (working CRS); default: districts', else incidents'
    unsigned min_count = 0;           ///< --min-count K: publication (privacy::suppress_layer, kind grid)
};

struct GridResult {
    io::VectorLayer layer;      ///< DESIGN.md §4 "grid" fields and c_<category>, graduated on count; streamed unless --min-count
    std::size_t cells = 0;      ///< cells kept
    std::uint64_t outside = 0;  ///< accepted incidents in no kept cell
};

/// Bytes the grid layer holds per cell (for the memory estimate before allocating): its
/// counts; the rows are made as they are written (io::RowSource), except with --min-count.
std::size_t grid_layer_bytes_per_cell(std::size_t categories);

/// Throws InputError (no extent: no incident and no district), ParameterError (cell size,
/// too many cells for the cap or this machine's memory).
GridResult make_grid(const GridParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
